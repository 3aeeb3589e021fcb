"""Assessments, dimensions and placement policies, checked against the domain notes."""

from __future__ import annotations

import itertools
import pickle
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum._assessment import (
    ASAM3_CAPABILITIES,
    ASAM4_CAPABILITIES,
    Assessment,
    DeviationReason,
    Dimension,
    LocusPolicy,
    NeedsPolicy,
    Placement,
    PlacementPolicy,
    PlacementReason,
    dimensions,
    place,
)
from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC, LOCUS
from strategies import garbage

DAY = date(2024, 5, 1)
LOCUS_CODES = ("I", "II", "III", "IV-A", "IV-B", "V", "VI")
ASAM_CODES = ("1", "2", "3", "4", "5", "6")
CODES = {"ASAM3": ASAM_CODES, "ASAM4": ASAM_CODES, "LOCUS": LOCUS_CODES}
SCALES = {"ASAM3": (0, 4), "ASAM4": (0, 4), "LOCUS": (1, 5)}  # ASAM4: the default table's
CONTINUA = {"ASAM3": ASAM3, "ASAM4": ASAM4, "LOCUS": LOCUS}

EXPECTED_NAMES = [
    ("ASAM3", "1", "Acute Intoxication and/or Withdrawal Potential"),
    ("ASAM3", "2", "Biomedical Conditions and Complications"),
    ("ASAM3", "3", "Emotional, Behavioral, or Cognitive Conditions and Complications"),
    ("ASAM3", "4", "Readiness to Change"),
    ("ASAM3", "5", "Relapse, Continued Use, or Continued Problem Potential"),
    ("ASAM3", "6", "Recovery/Living Environment"),
    ("ASAM4", "1", "Intoxication, Withdrawal, and Addiction Medications"),
    ("ASAM4", "2", "Biomedical Conditions"),
    ("ASAM4", "3", "Psychiatric and Cognitive Conditions"),
    ("ASAM4", "4", "Substance Use-Related Risks"),
    ("ASAM4", "5", "Recovery Environment Interactions"),
    ("ASAM4", "6", "Person-Centered Considerations"),
    ("LOCUS", "I", "Risk of Harm"),
    ("LOCUS", "II", "Functional Status"),
    ("LOCUS", "III", "Medical, Addictive and Psychiatric Co-Morbidity"),
    ("LOCUS", "IV-A", "Recovery Environment: Level of Stress"),
    ("LOCUS", "IV-B", "Recovery Environment: Level of Support"),
    ("LOCUS", "V", "Treatment and Recovery History"),
    ("LOCUS", "VI", "Engagement and Recovery Status"),
]
ALL_CODES = [(scheme, code) for scheme, code, _ in EXPECTED_NAMES]


def asam(scheme: str = "ASAM3", **ratings: int) -> Assessment:
    """An ASAM assessment rated 0 except where given (``d3=4``)."""
    values = {code: ratings.get(f"d{code}", 0) for code in ASAM_CODES}
    return Assessment(scheme, values, DAY)


def locus_ratings(composite: int) -> dict[str, int]:
    """LOCUS ratings summing to `composite` (7-35), filled from dimension I onwards."""
    extra = composite - len(LOCUS_CODES)
    ratings = {}
    for code in LOCUS_CODES:
        step = min(4, extra)
        ratings[code] = 1 + step
        extra -= step
    assert extra == 0
    return ratings


def locus(composite: int = 7, **overrides: int) -> Assessment:
    ratings = locus_ratings(composite)
    ratings.update(overrides)
    return Assessment("LOCUS", ratings, DAY)


def ratings_of(scheme: str) -> st.SearchStrategy[dict[str, int]]:
    low, high = SCALES[scheme]
    return st.fixed_dictionaries({code: st.integers(low, high) for code in CODES[scheme]})


schemes = st.sampled_from(sorted(CODES))
assessments = schemes.flatmap(
    lambda s: st.builds(
        Assessment, st.just(s), ratings_of(s), st.dates(), client_id=st.none() | st.just("c-1")
    )
)


# ---- dimensions -----------------------------------------------------------------------------


class TestDimension:
    @pytest.mark.parametrize(("scheme", "code", "name"), EXPECTED_NAMES)
    def test_every_dimension_has_its_published_name(
        self, scheme: str, code: str, name: str
    ) -> None:
        """Each scheme's dimension codes carry the names the domain notes give them."""
        dim = Dimension(scheme, code)
        assert (dim.scheme, dim.code, dim.name) == (scheme, code, name)
        assert dim in dimensions(scheme)

    @pytest.mark.parametrize("scheme", sorted(CODES))
    def test_dimensions_lists_the_codes_in_order(self, scheme: str) -> None:
        """ASAM rates six dimensions; LOCUS rates seven, its fourth split into IV-A and IV-B."""
        assert tuple(d.code for d in dimensions(scheme)) == CODES[scheme]

    def test_editions_share_codes_but_not_names(self) -> None:
        """ASAM's 4th edition renames its dimensions; readiness to change is gone."""
        assert Dimension("ASAM3", "6") != Dimension("ASAM4", "6")
        assert "Readiness to Change" not in {d.name for d in dimensions("ASAM4")}

    @pytest.mark.parametrize(
        ("scheme", "code", "field", "error"),
        [
            ("ASAM5", "1", "scheme", cc.InvalidValueError),
            (3, "1", "scheme", cc.InvalidTypeError),
            ("ASAM3", "7", "code", cc.InvalidValueError),
            ("LOCUS", "IV", "code", cc.InvalidValueError),
            ("ASAM3", 1, "code", cc.InvalidTypeError),
        ],
    )
    def test_unknown_scheme_or_code_is_refused(
        self, scheme: Any, code: Any, field: str, error: type[Exception]
    ) -> None:
        """A dimension must be one the scheme rates; the error names the field."""
        with pytest.raises(error) as info:
            Dimension(scheme, code)
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_dimensions_of_an_unknown_scheme(self) -> None:
        """dimensions() names the scheme it cannot find."""
        with pytest.raises(cc.InvalidValueError, match="'scheme'"):
            dimensions("GENERIC")

    def test_dimension_is_frozen_and_pickles(self) -> None:
        """Dimensions are immutable values."""
        dim = Dimension("LOCUS", "IV-A")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            dim.name = "x"  # type: ignore[misc]
        assert pickle.loads(pickle.dumps(dim)) == dim
        assert hash(dim) == hash(Dimension("LOCUS", "IV-A"))


# ---- assessments ----------------------------------------------------------------------------


class TestAssessment:
    @pytest.mark.parametrize(("scheme", "code"), ALL_CODES)
    def test_every_dimension_code_is_rated(self, scheme: str, code: str) -> None:
        """An assessment reads back each dimension's rating by code and by Dimension."""
        low, high = SCALES[scheme]
        ratings = dict.fromkeys(CODES[scheme], low)
        ratings[code] = high
        a = Assessment(scheme, ratings, DAY)
        assert a.rating(code) == high
        assert a.rating(Dimension(scheme, code)) == high
        assert a.dimensions == dimensions(scheme)

    @pytest.mark.parametrize(("scheme", "code"), ALL_CODES)
    def test_out_of_range_ratings_name_the_dimension(self, scheme: str, code: str) -> None:
        """ASAM3 rates 0-4, LOCUS 1-5, ASAM4 any non-negative int; beyond that is refused."""
        low, high = {"ASAM3": (0, 4), "ASAM4": (0, None), "LOCUS": (1, 5)}[scheme]
        bad = [low - 1] + ([high + 1, 99] if high is not None else [])
        for value in bad:
            ratings = dict.fromkeys(CODES[scheme], low)
            ratings[code] = value
            with pytest.raises(cc.InvalidValueError) as info:
                Assessment(scheme, ratings, DAY)
            assert info.value.field == f"ratings[{code!r}]"
            assert info.value.value == value
            assert f"ratings[{code!r}]" in str(info.value)

    @pytest.mark.parametrize(("scheme", "code"), ALL_CODES)
    @pytest.mark.parametrize("value", [True, False, 2.0, "2", None])
    def test_non_int_ratings_name_the_dimension(self, scheme: str, code: str, value: Any) -> None:
        """Bools, floats and strings are not ratings: nothing is coerced."""
        ratings: dict[str, Any] = dict.fromkeys(CODES[scheme], SCALES[scheme][0])
        ratings[code] = value
        with pytest.raises(cc.InvalidTypeError) as info:
            Assessment(scheme, ratings, DAY)
        assert info.value.field == f"ratings[{code!r}]"

    @pytest.mark.parametrize("scheme", sorted(CODES))
    def test_ratings_of_any_mapping_in_any_order_read_alike(self, scheme: str) -> None:
        """A dict in reverse order, a read-only mapping, ratings of an int subclass: the same
        assessment, its ratings in the scheme's order and plain ints."""

        class Rating(int):
            pass

        low = SCALES[scheme][0]
        codes = CODES[scheme]
        plain = Assessment(scheme, {code: low + i % 2 for i, code in enumerate(codes)}, DAY)
        backwards = {code: low + i % 2 for i, code in reversed(list(enumerate(codes)))}
        for ratings in (backwards, MappingProxyType(backwards),
                        {code: Rating(value) for code, value in backwards.items()}):  # fmt: skip
            read = Assessment(scheme, ratings, DAY)
            assert read == plain
            assert list(read.ratings) == list(codes)
            assert {type(value) for value in read.ratings.values()} == {int}

    def test_asam4_leaves_the_scale_to_the_policy(self) -> None:
        """No 4th-edition scale was found: any non-negative int is a rating."""
        a = asam("ASAM4", d2=9)
        assert a.rating("2") == 9

    @pytest.mark.parametrize(("scheme", "code"), [("ASAM3", "7"), ("ASAM3", "I"), ("LOCUS", "IV")])
    def test_unknown_dimension_codes_are_named(self, scheme: str, code: str) -> None:
        """A rating for a dimension the scheme does not have is refused, naming it."""
        ratings = dict.fromkeys(CODES[scheme], SCALES[scheme][0])
        ratings[code] = SCALES[scheme][0]
        with pytest.raises(cc.InvalidValueError) as info:
            Assessment(scheme, ratings, DAY)
        assert info.value.field == f"ratings[{code!r}]"

    def test_non_string_codes_are_refused(self) -> None:
        """Dimension codes are strings: 3 is not '3'."""
        ratings: dict[Any, int] = dict.fromkeys(ASAM_CODES, 0)
        del ratings["3"]
        ratings[3] = 0
        with pytest.raises(cc.InvalidTypeError) as info:
            Assessment("ASAM3", ratings, DAY)
        assert info.value.field == "ratings[3]"

    @pytest.mark.parametrize("scheme", sorted(CODES))
    def test_missing_dimensions_are_all_listed(self, scheme: str) -> None:
        """Every dimension must be rated; the error lists each one missing."""
        codes = CODES[scheme]
        present = dict.fromkeys(codes[::3], SCALES[scheme][0])
        missing = [code for code in codes if code not in present]
        with pytest.raises(cc.InvalidValueError) as info:
            Assessment(scheme, present, DAY)
        assert info.value.field == "ratings"
        for code in missing:
            assert repr(code) in str(info.value)
        with pytest.raises(cc.InvalidValueError):
            Assessment(scheme, {}, DAY)

    @pytest.mark.parametrize(
        "on", [datetime(2024, 5, 1, 9), pendulum.datetime(2024, 5, 1), 20240501, None]
    )
    def test_the_day_is_a_date_not_a_datetime(self, on: Any) -> None:
        """An assessment is dated by day; a datetime is refused rather than truncated."""
        with pytest.raises(cc.InvalidTypeError) as info:
            Assessment("ASAM3", dict.fromkeys(ASAM_CODES, 0), on)
        assert info.value.field == "on"

    def test_pendulum_dates_are_dates(self) -> None:
        """A pendulum Date is a date."""
        a = Assessment("ASAM3", dict.fromkeys(ASAM_CODES, 0), pendulum.date(2024, 5, 1))
        assert a.on == DAY

    @pytest.mark.parametrize(
        ("scheme", "ratings", "field"),
        [
            ("ASAM3", [("1", 0)], "ratings"),
            ("asam3", dict.fromkeys(ASAM_CODES, 0), "scheme"),
            ("GENERIC", dict.fromkeys(ASAM_CODES, 0), "scheme"),
        ],
    )
    def test_malformed_scheme_or_ratings(self, scheme: str, ratings: Any, field: str) -> None:
        """Only the three rated schemes, with a mapping of ratings."""
        with pytest.raises(cc.CareContinuumError) as info:
            Assessment(scheme, ratings, DAY)
        assert info.value.field == field  # type: ignore[attr-defined]

    @pytest.mark.parametrize("composite", [7, 16, 35])
    def test_locus_composite_is_the_sum_of_seven_ratings(self, composite: int) -> None:
        """The LOCUS composite sums all seven ratings (range 7-35)."""
        assert locus(composite).composite == composite

    def test_asam_has_no_composite(self) -> None:
        """ASAM defines no composite score."""
        assert asam("ASAM3", d1=4).composite is None
        assert asam("ASAM4", d1=4).composite is None

    def test_rating_of_an_unknown_dimension(self) -> None:
        """rating() names the code it cannot find, and refuses another scheme's Dimension."""
        a = asam()
        with pytest.raises(cc.InvalidValueError, match="'code'"):
            a.rating("7")
        with pytest.raises(cc.InvalidTypeError):
            a.rating(3)  # type: ignore[arg-type]
        with pytest.raises(cc.SchemeMismatchError):
            a.rating(Dimension("ASAM4", "1"))

    def test_ratings_are_read_only_in_the_schemes_order(self) -> None:
        """The ratings mapping is frozen, hashable and ordered like the scheme's dimensions."""
        given_order = dict(reversed(list(locus_ratings(20).items())))
        a = Assessment("LOCUS", given_order, DAY)
        assert tuple(a.ratings) == LOCUS_CODES
        with pytest.raises(TypeError):
            a.ratings["I"] = 5  # type: ignore[index]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            a.on = DAY  # type: ignore[misc]
        assert hash(a) == hash(Assessment("LOCUS", locus_ratings(20), DAY))

    def test_ratings_are_copied_from_the_callers_mapping(self) -> None:
        """Changing the caller's dict later does not change the assessment."""
        ratings = dict.fromkeys(ASAM_CODES, 1)
        a = Assessment("ASAM3", MappingProxyType(ratings), DAY)
        ratings["1"] = 4
        assert a.rating("1") == 1

    @given(assessments)
    def test_assessments_pickle_to_equal_values(self, a: Assessment) -> None:
        """An assessment survives pickling unchanged."""
        assert pickle.loads(pickle.dumps(a)) == a


# ---- LOCUS ----------------------------------------------------------------------------------

BAND_EDGES = [
    (7, "0"),
    (9, "0"),
    (10, "1"),
    (13, "1"),
    (14, "2"),
    (16, "2"),
    (17, "3"),
    (19, "3"),
    (20, "4"),
    (22, "4"),
    (23, "5"),
    (27, "5"),
    (28, "6"),
    (35, "6"),
]


def band_level(composite: int) -> str:
    for low, high, code in [(7, 9, "0"), (10, 13, "1"), (14, 16, "2"), (17, 19, "3"),
                            (20, 22, "4"), (23, 27, "5"), (28, 35, "6")]:  # fmt: skip
        if low <= composite <= high:
            return code
    raise AssertionError(composite)


class TestLocusPolicy:
    @pytest.mark.parametrize(("composite", "code"), BAND_EDGES)
    def test_each_band_edge_places_at_the_published_level(self, composite: int, code: str) -> None:
        """'Composite score -> level: 10-13 -> 1; 14-16 -> 2; 17-19 -> 3; 20-22 -> 4;
        23-27 -> 5; 28+ -> 6'; below 10 is the library's level 0."""
        p = place(locus(composite), LOCUS)
        assert p.recommended == LOCUS[code]
        assert p.drivers == ()
        assert all(f"composite {composite}" in r.note for r in p.rationale)

    def test_band_below_ten_is_marked_as_an_assumption(self) -> None:
        """No source gives a band below 10: the rationale says 7-9 -> 0 is assumed."""
        low = place(locus(9), LOCUS)
        assert all("assumption" in r.note and "7-9" in r.note for r in low.rationale)
        high = place(locus(10), LOCUS)
        assert not any("assumption" in r.note for r in high.rationale)
        assert "10-13" in high.rationale[0].note

    @given(ratings_of("LOCUS"))
    def test_without_floors_the_band_decides(self, ratings: dict[str, int]) -> None:
        """With no floors, the level is the composite's band, whatever the single ratings."""
        a = Assessment("LOCUS", ratings, DAY)
        assert place(a, LOCUS).recommended.code == band_level(sum(ratings.values()))

    def test_a_floor_raises_the_level_and_drives_it(self) -> None:
        """A floor on one rating forces at least its level; that dimension is the driver.
        (Illustrative floors, not the LOCUS grid.)"""
        ratings = {"I": 2, "II": 2, "III": 2, "IV-A": 2, "IV-B": 5, "V": 2, "VI": 1}
        a = Assessment("LOCUS", ratings, DAY)  # composite 16: band 14-16 -> 2
        policy = LocusPolicy({("IV-B", 5): "4", ("I", 5): "6"})
        p = place(a, LOCUS, policy)
        assert p.recommended == LOCUS["4"]
        assert [d.code for d in p.drivers] == ["IV-B"]
        reason = p.rationale[LOCUS_CODES.index("IV-B")]
        assert reason.needs == LOCUS["4"] and "floor" in reason.note
        assert p.policy == policy.name

    def test_a_floor_below_the_band_changes_nothing(self) -> None:
        """The recommendation is the more intensive of the band's level and the floors."""
        a = locus(30)
        policy = LocusPolicy({(code, a.rating(code)): "2" for code in LOCUS_CODES})
        p = place(a, LOCUS, policy)
        assert p.recommended == LOCUS["6"]
        assert p.drivers == ()
        assert all(r.needs == LOCUS["2"] for r in p.rationale)

    def test_floors_apply_to_the_exact_rating_only(self) -> None:
        """A floor for rating 4 says nothing about rating 5."""
        policy = LocusPolicy({("I", 4): "5"})
        assert place(locus(7, I=5), LOCUS, policy).recommended == LOCUS["1"]
        assert place(locus(7, I=4), LOCUS, policy).recommended == LOCUS["5"]

    def test_several_floors_at_the_top_all_drive(self) -> None:
        """Every dimension whose floor is the recommended level is a driver."""
        policy = LocusPolicy({("I", 5): "5", ("II", 5): "5", ("III", 5): "3"})
        p = place(locus(7, I=5, II=5, III=5), LOCUS, policy)
        assert p.recommended == LOCUS["5"]
        assert [d.code for d in p.drivers] == ["I", "II"]

    @given(
        ratings_of("LOCUS"),
        st.dictionaries(
            st.tuples(st.sampled_from(LOCUS_CODES), st.integers(1, 5)),
            st.sampled_from(LOCUS.codes),
            max_size=10,
        ),
    )
    def test_floors_never_lower_and_are_always_met(
        self, ratings: dict[str, int], floors: dict[tuple[str, int], str]
    ) -> None:
        """'The recommendation is the more intensive of the band's level and any floor.'"""
        a = Assessment("LOCUS", ratings, DAY)
        p = place(a, LOCUS, LocusPolicy(floors))
        applying = [LOCUS[floors[(c, r)]] for c, r in ratings.items() if (c, r) in floors]
        expected = max([LOCUS[band_level(sum(ratings.values()))], *applying])
        assert p.recommended == expected
        assert all(r.needs <= p.recommended for r in p.rationale)

    @pytest.mark.parametrize(
        ("floors", "field", "error"),
        [
            ({("I", 6): "6"}, "floors[('I', 6)]", cc.InvalidValueError),
            ({("I", True): "6"}, "floors[('I', True)]", cc.InvalidTypeError),
            ({("IV", 5): "6"}, "floors[('IV', 5)]", cc.InvalidValueError),
            ({"I": "6"}, "floors['I']", cc.InvalidTypeError),
            ({("I", 5): 6}, "floors[('I', 5)]", cc.InvalidTypeError),
            ([(("I", 5), "6")], "floors", cc.InvalidTypeError),
        ],
    )
    def test_malformed_floors_are_named(self, floors: Any, field: str, error: type) -> None:
        """Each floor is a (LOCUS dimension code, rating 1-5) pair mapped to a level code."""
        with pytest.raises(error) as info:
            LocusPolicy(floors)
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_a_floor_at_a_level_the_continuum_lacks(self) -> None:
        """Floors name level codes; one the continuum does not have is refused when placing."""
        with pytest.raises(cc.InvalidValueError) as info:
            place(locus(7, I=5), LOCUS, LocusPolicy({("I", 5): "7"}))
        assert info.value.field == "floors[('I', 5)]"

    def test_locus_policy_places_only_locus(self) -> None:
        """LocusPolicy refuses an ASAM assessment."""
        with pytest.raises(cc.SchemeMismatchError):
            LocusPolicy().recommend(asam(), ASAM3)

    @pytest.mark.parametrize("code", LOCUS_CODES)
    def test_a_rating_of_5_warns_that_the_composite_may_under_place(self, code: str) -> None:
        """A 5 on any dimension with a low composite places by the band, but the rationale
        warns: the composite alone may under-place, and floors should be supplied."""
        p = place(Assessment("LOCUS", {**locus_ratings(7), code: 5}, DAY), LOCUS)
        assert p.recommended == LOCUS["1"]  # composite 11: band 10-13
        i = LOCUS_CODES.index(code)
        assert [(f.rule_id, f.severity, f.path) for f in p.warnings] == [
            ("LOCUS-COMPOSITE-MAY-UNDER-PLACE", cc.Severity.WARNING, f"rationale[{i}]")
        ]
        reason = p.rationale[i]
        assert reason.warning is not None and "under-place" in reason.warning
        assert "floors" in reason.warning and "(warning: " in str(reason)
        assert all(r.warning is None for j, r in enumerate(p.rationale) if j != i)
        assert "independent criteria" in (p.warnings[0].source.note or "")

    def test_risk_of_harm_warns_from_4_other_dimensions_from_5(self) -> None:
        """Risk of Harm (I) at 4 warns; 4 on another dimension, or 3 on I, does not."""
        assert len(place(locus(7, I=4), LOCUS).warnings) == 1
        assert place(locus(7, I=3), LOCUS).warnings == ()
        assert place(locus(7, II=4), LOCUS).warnings == ()
        assert place(locus(7, VI=4), LOCUS).warnings == ()

    def test_routine_ratings_raise_no_warning(self) -> None:
        """A composite-decided placement with no extreme rating carries no warning."""
        routine = [
            {"I": 1, "II": 1, "III": 1, "IV-A": 1, "IV-B": 1, "V": 1, "VI": 1},
            {"I": 3, "II": 3, "III": 2, "IV-A": 3, "IV-B": 2, "V": 3, "VI": 2},
            {"I": 3, "II": 4, "III": 4, "IV-A": 4, "IV-B": 4, "V": 4, "VI": 4},
        ]
        for ratings in routine:
            p = place(Assessment("LOCUS", ratings, DAY), LOCUS)
            assert p.recommended != LOCUS["6"]
            assert p.warnings == (), ratings
            assert all(r.warning is None for r in p.rationale)

    def test_a_floor_for_the_rating_silences_the_warning(self) -> None:
        """Once the licensed user supplies a floor for that rating, the floor decides: no
        warning. A floor for another rating does not cover it."""
        covered = place(locus(7, I=5), LOCUS, LocusPolicy({("I", 5): "5"}))
        assert covered.recommended == LOCUS["5"] and covered.warnings == ()
        other = place(locus(7, I=5), LOCUS, LocusPolicy({("I", 4): "5"}))
        assert [f.path for f in other.warnings] == ["rationale[0]"]

    def test_nothing_is_under_placed_at_the_top_level(self) -> None:
        """A composite that already places at level 6 needs no caution."""
        p = place(locus(30), LOCUS)
        assert p.recommended == LOCUS["6"]
        assert any(r.rating == 5 for r in p.rationale)
        assert p.warnings == ()

    @given(ratings_of("LOCUS"))
    def test_warnings_mark_exactly_the_extreme_ratings(self, ratings: dict[str, int]) -> None:
        """Without floors, a line warns exactly when its rating is 5 (4 on Risk of Harm) and
        the recommendation is below level 6."""
        p = place(Assessment("LOCUS", ratings, DAY), LOCUS)
        top = p.recommended == LOCUS["6"]
        expected = [
            f"rationale[{i}]"
            for i, code in enumerate(LOCUS_CODES)
            if not top and (ratings[code] == 5 or (code == "I" and ratings[code] == 4))
        ]
        assert [f.path for f in p.warnings] == expected

    def test_the_warning_survives_a_round_trip(self) -> None:
        """The rationale's warning reaches plain data and comes back."""
        p = place(locus(7, I=5), LOCUS)
        data = cc.to_dict(p)
        assert data["rationale"][0]["warning"] == p.rationale[0].warning
        assert cc.from_dict(Placement, data) == p

    def test_policy_is_a_frozen_value(self) -> None:
        """Policies are immutable, hashable and pickle to equal values."""
        policy = LocusPolicy({("I", 5): "6"})
        assert pickle.loads(pickle.dumps(policy)) == policy
        assert hash(policy) == hash(LocusPolicy({("I", 5): "6"}))
        with pytest.raises(TypeError):
            policy.floors[("I", 4)] = "5"  # type: ignore[index]
        assert isinstance(policy, PlacementPolicy)


# ---- ASAM needs policy ----------------------------------------------------------------------


def least_serving(
    table: dict[str, dict[str, int]] | Any, continuum: cc.Continuum, dim: str, rating: int
) -> cc.LevelOfCare:
    """The least intensive level of `table` serving `rating` in `dim`, computed independently."""
    levels = sorted((continuum[code] for code in table), key=lambda lvl: lvl.rank)
    return next(lvl for lvl in levels if table[lvl.code][dim] >= rating)


class TestNeedsPolicy:
    @pytest.mark.parametrize(
        ("table", "continuum", "codes"),
        [
            (
                ASAM3_CAPABILITIES,
                ASAM3,
                ("0.5", "1", "2.1", "2.5", "3.1", "3.3", "3.5", "3.7", "4"),
            ),
            (ASAM4_CAPABILITIES, ASAM4, ASAM4.codes),
        ],
    )
    def test_default_tables_are_monotone_and_cover_the_main_pathway(
        self, table: Any, continuum: cc.Continuum, codes: tuple[str, ...]
    ) -> None:
        """A more intensive level serves at least what a less intensive one does, and the most
        intensive level serves every rating 0-4."""
        assert tuple(table) == codes
        assert tuple(table) == tuple(lvl.code for lvl in continuum.pathways["main"])
        rows = [table[code] for code in codes]
        for lower, higher in itertools.pairwise(rows):
            assert all(higher[d] >= lower[d] for d in ASAM_CODES)
        assert all(rows[-1][d] == 4 for d in ASAM_CODES)
        assert all(set(row) == set(ASAM_CODES) for row in rows)

    @pytest.mark.parametrize("scheme", ["ASAM3", "ASAM4"])
    def test_every_level_of_the_default_table_is_reachable(self, scheme: str) -> None:
        """Each main-pathway level is what some single rating needs (the table is not dead
        weight)."""
        continuum = CONTINUA[scheme]
        reached = {
            place(asam(scheme, **{f"d{d}": r}), continuum).recommended.code
            for d in ASAM_CODES
            for r in range(5)
        }
        assert reached == set(NeedsPolicy.default(scheme).capabilities)

    @pytest.mark.parametrize(("scheme", "bottom"), [("ASAM3", "0.5"), ("ASAM4", "1.0")])
    def test_no_risk_places_at_the_least_intensive_level(self, scheme: str, bottom: str) -> None:
        """'The least restrictive level of care that still meets the client's need.'"""
        assert place(asam(scheme), CONTINUA[scheme]).recommended.code == bottom

    @pytest.mark.parametrize("scheme", ["ASAM3", "ASAM4"])
    @pytest.mark.parametrize("dim", ASAM_CODES)
    def test_a_single_severe_dimension_drives_the_level(self, scheme: str, dim: str) -> None:
        """One dimension at 4 and the rest at 0: that dimension's need is the level, and it
        is the only driver."""
        continuum = CONTINUA[scheme]
        p = place(asam(scheme, **{f"d{dim}": 4}), continuum)
        table = NeedsPolicy.default(scheme).capabilities
        assert p.recommended == least_serving(table, continuum, dim, 4)
        assert p.recommended > continuum[next(iter(table))]
        assert p.drivers == (Dimension(scheme, dim),)
        assert p.rationale[int(dim) - 1].needs == p.recommended

    def test_examples_of_the_default_asam3_table(self) -> None:
        """A few readings of the illustrative table: severe withdrawal risk -> 4; unsafe
        living environment -> 3.1; cognitive conditions at 3 -> 3.3; two drivers at once."""
        assert place(asam(d1=4), ASAM3).recommended.code == "4"
        assert place(asam(d6=3), ASAM3).recommended.code == "3.1"
        assert place(asam(d3=3), ASAM3).recommended.code == "3.3"
        p = place(asam(d4=3, d5=3, d6=1), ASAM3)
        assert p.recommended.code == "2.5"
        assert [d.code for d in p.drivers] == ["4", "5"]

    @given(
        st.sampled_from(["ASAM3", "ASAM4"]).flatmap(lambda s: st.tuples(st.just(s), ratings_of(s)))
    )
    def test_never_below_any_dimensions_need_and_least_such_level(
        self, case: tuple[str, dict[str, int]]
    ) -> None:
        """'Place never recommends a level less intensive than one another dimension's need
        requires', and the recommendation is the least such level among the policy's levels."""
        scheme, ratings = case
        continuum = CONTINUA[scheme]
        table = NeedsPolicy.default(scheme).capabilities
        p = place(Assessment(scheme, ratings, DAY), continuum)
        needs = {d: least_serving(table, continuum, d, r) for d, r in ratings.items()}
        assert [r.needs for r in p.rationale] == [needs[d] for d in ASAM_CODES]
        assert all(p.recommended >= need for need in needs.values())
        assert p.recommended.code in table
        assert p.recommended == max(needs.values())
        less = [continuum[c] for c in table if continuum[c] < p.recommended]
        assert not any(all(table[lvl.code][d] >= r for d, r in ratings.items()) for lvl in less)
        assert [d.code for d in p.drivers] == [d for d in ASAM_CODES if needs[d] == p.recommended]

    @given(st.data())
    def test_any_monotone_table_keeps_the_rule(self, data: st.DataObject) -> None:
        """With a user's monotone table of some main-pathway levels, the recommendation is
        the least table level serving every rating, never below a dimension's need."""
        main = list(ASAM3.pathways["main"])
        chosen = sorted(
            data.draw(st.lists(st.sampled_from(main), min_size=1, max_size=len(main), unique=True)),
            key=lambda lvl: lvl.rank,
        )
        table: dict[str, dict[str, int]] = {lvl.code: {} for lvl in chosen}
        for d in ASAM_CODES:
            column = sorted(data.draw(st.lists(st.integers(0, 4), min_size=len(chosen),
                                               max_size=len(chosen))))  # fmt: skip
            column[-1] = 4
            for lvl, limit in zip(chosen, column, strict=True):
                table[lvl.code][d] = limit
        ratings = data.draw(ratings_of("ASAM3"))
        p = place(Assessment("ASAM3", ratings, DAY), ASAM3, NeedsPolicy("clinic", table))
        assert p.recommended in chosen
        assert all(p.recommended >= r.needs for r in p.rationale)
        serving = [
            lvl for lvl in chosen if all(table[lvl.code][d] >= r for d, r in ratings.items())
        ]
        assert p.recommended == serving[0]
        assert p.policy == "clinic"

    def test_a_rating_no_level_serves_is_named(self) -> None:
        """The 4th-edition scale belongs to the policy: the default table refuses ratings
        above 4, naming the dimension."""
        with pytest.raises(cc.InvalidValueError) as info:
            place(asam("ASAM4", d2=5), ASAM4)
        assert info.value.field == "ratings['2']"
        table = {"1": dict.fromkeys(ASAM_CODES, 2)}
        with pytest.raises(cc.InvalidValueError, match=r"ratings\['3'\]"):
            place(asam(d3=3), ASAM3, NeedsPolicy("small", table))

    @pytest.mark.parametrize(
        ("capabilities", "field", "error"),
        [
            ([("1", {})], "capabilities", cc.InvalidTypeError),
            ({}, "capabilities", cc.InvalidValueError),
            ({"1": [1, 2]}, "capabilities['1']", cc.InvalidTypeError),
            ({"1": {}}, "capabilities['1']", cc.InvalidValueError),
            ({"1": {"1": -1}}, "capabilities['1']['1']", cc.InvalidValueError),
            ({"1": {"1": True}}, "capabilities['1']['1']", cc.InvalidTypeError),
            ({"1": {"1": 1.5}}, "capabilities['1']['1']", cc.InvalidTypeError),
            ({"1": {1: 1}}, "capabilities['1'][1]", cc.InvalidTypeError),
            ({2: {"1": 1}}, "capabilities[2]", cc.InvalidTypeError),
            ({"1": {"1": 1}, "2.1": {"2": 1}}, "capabilities['2.1']", cc.InvalidValueError),
        ],
    )
    def test_malformed_tables_name_the_cell(
        self, capabilities: Any, field: str, error: type
    ) -> None:
        """A capability table is level code -> {dimension code: highest rating}, alike for
        every level."""
        with pytest.raises(error) as info:
            NeedsPolicy("clinic", capabilities)
        assert info.value.field == field  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        ("capabilities", "field"),
        [
            ({"9.9": dict.fromkeys(ASAM_CODES, 4)}, "capabilities['9.9']"),
            ({"1": dict.fromkeys("12345", 4)}, "capabilities"),
            (
                {"2.1": dict.fromkeys(ASAM_CODES, 3), "1": dict.fromkeys(ASAM_CODES, 4)},
                "capabilities['2.1']['1']",
            ),
            (
                {"4": dict.fromkeys(ASAM_CODES, 4), "IV": dict.fromkeys(ASAM_CODES, 4)},
                "capabilities",
            ),
        ],
    )
    def test_tables_must_fit_the_continuum(self, capabilities: Any, field: str) -> None:
        """Table levels must be in the continuum, cover the assessment's dimensions exactly,
        and be monotone in the continuum's order."""
        with pytest.raises(cc.InvalidValueError) as info:
            place(asam(), ASAM3, NeedsPolicy("clinic", capabilities))
        assert info.value.field == field

    def test_the_asam3_table_does_not_fit_asam4(self) -> None:
        """A table names one scheme's levels: 0.5 has no 4th-edition level."""
        with pytest.raises(cc.InvalidValueError, match=r"'0\.5'"):
            place(asam("ASAM4"), ASAM4, NeedsPolicy("old", ASAM3_CAPABILITIES))

    def test_default_for_an_unknown_scheme(self) -> None:
        """Only ASAM's editions have a default needs table."""
        with pytest.raises(cc.InvalidValueError, match="'scheme'"):
            NeedsPolicy.default("LOCUS")

    def test_default_policy_says_it_is_illustrative(self) -> None:
        """The default's name warns it is not ASAM's algorithm, and it is recorded."""
        p = place(asam(d1=2), ASAM3)
        assert "illustrative" in p.policy and "not ASAM" in p.policy
        policy = NeedsPolicy.default("ASAM3")
        assert pickle.loads(pickle.dumps(policy)) == policy
        assert isinstance(policy, PlacementPolicy)


# ---- placements -----------------------------------------------------------------------------


class TestPlacement:
    def test_chosen_defaults_to_recommended(self) -> None:
        """A fresh placement chose what was recommended; nothing deviates."""
        p = place(asam(d3=2), ASAM3)
        assert p.chosen == p.recommended == ASAM3["2.1"]
        assert (p.deviates, p.deviation, p.deviation_note) == (False, None, None)

    def test_choose_returns_a_new_placement(self) -> None:
        """choose() records a deviation on a copy; the original is unchanged."""
        p = place(asam(d3=2), ASAM3)
        q = p.choose(ASAM3["1"], DeviationReason.CLIENT_PREFERENCE)
        assert (q.chosen, q.deviation, q.deviates) == (
            ASAM3["1"],
            DeviationReason.CLIENT_PREFERENCE,
            True,
        )
        assert q.recommended == p.recommended and q.rationale == p.rationale
        assert not p.deviates and p.chosen == ASAM3["2.1"]
        back = q.choose(p.recommended)
        assert back == p

    @pytest.mark.parametrize("reason", list(DeviationReason))
    def test_every_reason_can_record_a_deviation(self, reason: DeviationReason) -> None:
        """Any reason records a deviation; OTHER with its note."""
        p = place(asam(d3=2), ASAM3).choose(ASAM3["2.5"], reason, "why")
        assert p.deviation is reason and p.deviation_note == "why"

    def test_a_different_level_needs_a_reason(self) -> None:
        """'Recommended vs actual level with a reason when they differ.'"""
        p = place(asam(d3=2), ASAM3)
        with pytest.raises(cc.InvalidValueError) as info:
            p.choose(ASAM3["1"])
        assert info.value.field == "reason"

    def test_other_needs_a_note(self) -> None:
        """DeviationReason.OTHER says nothing by itself: a note is required."""
        p = place(asam(d3=2), ASAM3)
        with pytest.raises(cc.InvalidValueError) as info:
            p.choose(ASAM3["1"], DeviationReason.OTHER)
        assert info.value.field == "note"
        assert p.choose(ASAM3["1"], DeviationReason.OTHER, "family emergency").deviates

    def test_no_reason_or_note_without_a_deviation(self) -> None:
        """Choosing the recommended level records no deviation reason or note."""
        p = place(asam(d3=2), ASAM3)
        with pytest.raises(cc.InvalidValueError, match="'reason'"):
            p.choose(p.recommended, DeviationReason.COURT_ORDER)
        with pytest.raises(cc.InvalidValueError, match="'note'"):
            p.choose(p.recommended, None, "agreed")

    def test_chosen_level_must_be_of_the_scheme(self) -> None:
        """A level of another continuum cannot be chosen; a code is not a level."""
        p = place(asam(d3=2), ASAM3)
        with pytest.raises(cc.SchemeMismatchError):
            p.choose(ASAM4["2.1"], DeviationReason.PAYER_DECISION)
        with pytest.raises(cc.SchemeMismatchError):
            p.choose(GENERIC["IOP"], DeviationReason.PAYER_DECISION)
        with pytest.raises(cc.InvalidTypeError) as info:
            p.choose("2.5", DeviationReason.PAYER_DECISION)  # type: ignore[arg-type]
        assert info.value.field == "level"
        with pytest.raises(cc.InvalidValueError) as info:
            p.choose(ASAM3["2.5"], "payer")
        assert info.value.field == "reason"
        assert p.choose(ASAM3["2.5"], "payer decision").deviation is DeviationReason.PAYER_DECISION

    def test_a_withdrawal_management_level_may_be_chosen(self) -> None:
        """Any level of the scheme may be chosen, with a reason, including the WM chain."""
        p = place(asam(d1=3), ASAM3).choose(ASAM3["3.7-WM"], DeviationReason.CLINICAL_JUDGEMENT)
        assert p.chosen.pathway == "withdrawal management"

    def test_constructor_keeps_the_never_below_a_need_rule(self) -> None:
        """A hand-built placement below a dimension's need is refused."""
        p = place(asam(d1=4), ASAM3)
        with pytest.raises(cc.InvalidValueError) as info:
            Placement(p.assessment, ASAM3["3.7"], p.rationale, (), "hand")
        assert info.value.field == "recommended"

    def test_constructor_checks_rationale_and_drivers(self) -> None:
        """One reason per dimension, with the assessment's ratings; drivers need the level."""
        p = place(asam(d1=4, d3=1), ASAM3)
        with pytest.raises(cc.InvalidValueError, match="'rationale'"):
            Placement(p.assessment, p.recommended, p.rationale[:-1], p.drivers, "hand")
        wrong = PlacementReason(Dimension("ASAM3", "1"), 3, ASAM3["3.7"], "hand")
        with pytest.raises(cc.InvalidValueError, match=r"rationale\[0\].rating"):
            Placement(p.assessment, p.recommended, (wrong, *p.rationale[1:]), (), "hand")
        with pytest.raises(cc.InvalidValueError, match=r"drivers\[0\]"):
            Placement(p.assessment, p.recommended, p.rationale, [Dimension("ASAM3", "3")], "h")
        with pytest.raises(cc.InvalidValueError, match=r"drivers\[0\]"):
            Placement(p.assessment, p.recommended, p.rationale, [Dimension("ASAM4", "1")], "h")
        with pytest.raises(cc.InvalidValueError, match="'drivers'"):
            Placement(p.assessment, p.recommended, p.rationale, p.drivers * 2, "hand")
        with pytest.raises(cc.SchemeMismatchError):
            Placement(p.assessment, LOCUS["6"], p.rationale, (), "hand")
        with pytest.raises(cc.InvalidTypeError, match="'rationale'"):
            Placement(p.assessment, p.recommended, "because", (), "hand")  # type: ignore[arg-type]

    def test_placement_reason_checks_its_fields(self) -> None:
        """A reason's rating is on the dimension's scale and its level of the same scheme."""
        dim = Dimension("LOCUS", "I")
        with pytest.raises(cc.InvalidValueError, match="'rating'"):
            PlacementReason(dim, 0, LOCUS["0"], "n")
        with pytest.raises(cc.SchemeMismatchError):
            PlacementReason(dim, 1, ASAM3["1"], "n")
        with pytest.raises(cc.InvalidValueError, match="'note'"):
            PlacementReason(dim, 1, LOCUS["0"], " ")

    @given(assessments, st.data())
    def test_placements_are_immutable_and_pickle_to_equal_values(
        self, a: Assessment, data: st.DataObject
    ) -> None:
        """Placements (chosen or not) are frozen, hashable values that survive pickling."""
        p = place(a, CONTINUA[a.scheme])
        level = data.draw(st.sampled_from(CONTINUA[a.scheme].levels))
        if level != p.recommended:
            p = p.choose(level, data.draw(st.sampled_from(DeviationReason)), "note")
        assert pickle.loads(pickle.dumps(p)) == p
        assert hash(pickle.loads(pickle.dumps(p))) == hash(p)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            p.chosen = p.recommended  # type: ignore[misc]
        with pytest.raises(AttributeError):
            p.rationale[0].needs = p.recommended  # type: ignore[misc]


# ---- place ----------------------------------------------------------------------------------


class TestPlace:
    @pytest.mark.parametrize(
        ("assessment", "continuum", "policy"),
        [
            (asam(), ASAM3, NeedsPolicy.default("ASAM3")),
            (asam("ASAM4"), ASAM4, NeedsPolicy.default("ASAM4")),
            (locus(), LOCUS, LocusPolicy()),
        ],
    )
    def test_default_policy_by_scheme(
        self, assessment: Assessment, continuum: cc.Continuum, policy: Any
    ) -> None:
        """ASAM editions default to the needs table, LOCUS to the composite bands."""
        assert place(assessment, continuum) == policy.recommend(assessment, continuum)
        assert place(assessment, continuum).policy == policy.name

    @pytest.mark.parametrize(
        ("assessment", "continuum"),
        [(asam(), ASAM4), (asam("ASAM4"), ASAM3), (locus(), ASAM3), (asam(), LOCUS)],
    )
    def test_an_assessment_of_another_scheme_is_refused(
        self, assessment: Assessment, continuum: cc.Continuum
    ) -> None:
        """Placement only happens within one scheme; crosswalk moves between them."""
        with pytest.raises(cc.SchemeMismatchError, match="crosswalk"):
            place(assessment, continuum)
        with pytest.raises(cc.SchemeMismatchError):
            place(assessment, continuum, NeedsPolicy.default("ASAM3"))

    def test_a_scheme_without_a_default_policy_names_policy(self) -> None:
        """The generic continuum has no default policy: the error names 'policy'."""
        with pytest.raises(cc.InvalidValueError) as info:
            place(asam(), GENERIC)
        assert info.value.field == "policy"

    def test_a_policy_must_be_a_policy(self) -> None:
        """Junk policies, and policies returning junk, are refused naming 'policy'."""

        class Broken:
            name = "broken"

            def recommend(self, assessment: Assessment, continuum: cc.Continuum) -> Any:
                return continuum.levels[0]

        with pytest.raises(cc.InvalidTypeError, match="'policy'"):
            place(asam(), ASAM3, "needs")  # type: ignore[arg-type]
        with pytest.raises(cc.InvalidTypeError, match="'policy'"):
            place(asam(), ASAM3, Broken())

    def test_a_custom_policy_is_used_and_named(self) -> None:
        """Any object with a name and recommend() places, under the Placement rules."""

        class Cautious:
            name = "cautious"

            def recommend(self, assessment: Assessment, continuum: cc.Continuum) -> Placement:
                base = place(assessment, continuum)
                up = continuum.step_up(base.recommended) or base.recommended
                return Placement(assessment, up, base.rationale, (), self.name)

        p = place(asam(d3=2), ASAM3, Cautious())
        assert (p.recommended.code, p.policy, p.drivers) == ("2.5", "cautious", ())


# ---- junk -----------------------------------------------------------------------------------

ASSESSMENT_FIELDS = ("scheme", "ratings", "on", "client_id")


@given(st.sampled_from(ASSESSMENT_FIELDS), garbage)
def test_junk_assessment_input_raises_only_library_errors(field: str, value: object) -> None:
    """Any junk in any field builds a valid assessment or raises CareContinuumError."""
    args: dict[str, Any] = {"scheme": "ASAM3", "ratings": dict.fromkeys(ASAM_CODES, 1), "on": DAY}
    args[field] = value
    try:
        Assessment(args["scheme"], args["ratings"], args["on"], client_id=args.get("client_id"))
    except cc.CareContinuumError as error:
        assert str(error)


@given(schemes, st.data(), garbage)
def test_a_junk_rating_is_refused_naming_its_dimension(
    scheme: str, data: st.DataObject, value: object
) -> None:
    """A junk rating either is a valid rating or is refused, naming its dimension."""
    code = data.draw(st.sampled_from(CODES[scheme]))
    ratings: dict[str, Any] = dict.fromkeys(CODES[scheme], SCALES[scheme][0])
    ratings[code] = value
    try:
        Assessment(scheme, ratings, DAY)
    except cc.CareContinuumError as error:
        assert error.field == f"ratings[{code!r}]"  # type: ignore[attr-defined]


@given(st.sampled_from(["assessment", "continuum", "policy"]), garbage)
def test_junk_place_input_raises_only_library_errors(field: str, value: object) -> None:
    """place() turns junk into a CareContinuumError, never a crash."""
    args: dict[str, Any] = {"assessment": asam(d2=2), "continuum": ASAM3, "policy": None}
    args[field] = value
    try:
        place(**args)
    except cc.CareContinuumError as error:
        assert str(error)


@given(garbage, garbage, garbage)
def test_junk_choices_raise_only_library_errors(level: Any, reason: Any, note: Any) -> None:
    """choose() turns junk into a CareContinuumError, never a crash."""
    p = place(asam(d2=2), ASAM3)
    try:
        p.choose(level, reason, note)
    except cc.CareContinuumError as error:
        assert str(error)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@given(
    garbage,
    garbage | st.dictionaries(st.sampled_from(["1", "2.1", "x"]), garbage, max_size=3),
    garbage | st.dictionaries(st.tuples(garbage, garbage).filter(_hashable), garbage, max_size=3),
)
def test_junk_policies_raise_only_library_errors(name: Any, table: Any, floors: Any) -> None:
    """Policies built from junk raise CareContinuumError; any that build still place safely."""
    for build in (lambda: NeedsPolicy(name, table), lambda: LocusPolicy(floors)):
        try:
            policy = build()
        except cc.CareContinuumError as error:
            assert str(error)
            continue
        for a, continuum in ((asam(d1=1), ASAM3), (locus(20), LOCUS)):
            try:
                place(a, continuum, policy)
            except cc.CareContinuumError as error:
                assert str(error)


@given(garbage, garbage)
def test_junk_dimensions_raise_only_library_errors(scheme: Any, code: Any) -> None:
    """Dimension() and dimensions() turn junk into CareContinuumError."""
    for call in (lambda: Dimension(scheme, code), lambda: dimensions(scheme)):
        try:
            call()
        except cc.CareContinuumError as error:
            assert str(error)
