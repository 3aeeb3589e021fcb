"""Crosswalks between schemes, against the correspondences the domain notes state."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum.catalogs import ALL, ASAM3, ASAM4, GENERIC, LOCUS
from strategies import continua, levels


def codes(cw: cc.Crosswalk) -> list[str]:
    return [lvl.code for lvl in cw]


class TestGenericToSchemes:
    def test_iop_is_asam_2_1_exactly(self) -> None:
        """IOP corresponds to ASAM 2.1 in both editions, one to one."""
        for scheme in (ASAM3, ASAM4):
            cw = cc.crosswalk(GENERIC["IOP"], to=scheme)
            assert "2.1" in codes(cw)
        assert codes(cc.crosswalk(GENERIC["IOP"], to=ASAM3)) == ["2.1"]
        assert not cc.crosswalk(GENERIC["IOP"], to=ASAM3).approximate

    def test_iop_is_locus_3_approximately(self) -> None:
        """LOCUS 3 is roughly IOP, per a provider's page: flagged approximate with a note."""
        cw = cc.crosswalk(GENERIC["IOP"], to=LOCUS)
        assert codes(cw) == ["3"]
        assert cw.approximate and "roughly" in cw.note

    def test_php_is_locus_4_and_asam_2_5(self) -> None:
        """PHP maps to ASAM 2.5 (both editions) and roughly to LOCUS 4."""
        assert codes(cc.crosswalk(GENERIC["PHP"], to=ASAM3)) == ["2.5"]
        assert codes(cc.crosswalk(GENERIC["PHP"], to=ASAM4)) == ["2.5"]
        assert codes(cc.crosswalk(GENERIC["PHP"], to=LOCUS)) == ["4"]

    def test_detox_is_medically_monitored_withdrawal_management(self) -> None:
        """Generic detox is medically monitored 24-hour care: ASAM 3.7-WM exactly. The
        ambulatory WM levels and the clinically managed 3.2-WM only approximate it; LOCUS has
        no withdrawal-management level."""
        cw = cc.crosswalk(GENERIC["DETOX"], to=ASAM3)
        assert codes(cw) == ["3.7-WM"] and not cw.approximate
        for code in ("1-WM", "2-WM", "3.2-WM"):
            back = cc.crosswalk(ASAM3[code], to=GENERIC)
            assert codes(back) == ["DETOX"] and back.approximate, code
        assert "clinically managed" in cc.crosswalk(ASAM3["3.2-WM"], to=GENERIC).note
        assert codes(cc.crosswalk(GENERIC["DETOX"], to=LOCUS)) == []

    def test_exact_matches_win_over_approximate_ones(self) -> None:
        """IOP is 4th-edition 2.1 only, although 2.7 (medically managed intensive outpatient)
        is an intensive outpatient level too."""
        cw = cc.crosswalk(GENERIC["IOP"], to=ASAM4)
        assert codes(cw) == ["2.1"] and not cw.approximate

    def test_4th_edition_2_7_keeps_its_place_above_2_5(self) -> None:
        """2.7 ranks above 2.5 (high-intensity outpatient, PHP), so it maps to PHP, flagged
        as the library's own approximation, not down to IOP."""
        cw = cc.crosswalk(ASAM4["2.7"], to=GENERIC)
        assert codes(cw) == ["PHP"] and cw.approximate and "own approximation" in cw.note
        assert codes(cc.crosswalk(GENERIC["PHP"], to=ASAM4)) == ["2.5"]

    def test_several_exact_counterparts_are_flagged_approximate(self) -> None:
        """Residential treatment is any of 3.1, 3.3 and 3.5: one level here, three there, is
        not one-to-one, so it is flagged with a note; a single exact counterpart is not."""
        cw = cc.crosswalk(GENERIC["RESIDENTIAL"], to=ASAM3)
        assert codes(cw) == ["3.1", "3.3", "3.5"] and cw.approximate and "several" in cw.note
        cw = cc.crosswalk(GENERIC["RESIDENTIAL"], to=ASAM4)
        assert codes(cw) == ["3.1", "3.5"] and cw.approximate
        assert not cc.crosswalk(ASAM3["3.3"], to=GENERIC).approximate


class TestHospitalCare:
    """'LOCUS 6 (medically managed residential) corresponds to ASAM 4 and, at most, 3.7; never
    to 3.1-3.5'; ASAM 3.7 is medically monitored, not hospital care (domain notes)."""

    def test_the_generic_continuum_has_a_hospital_level_above_detox(self) -> None:
        """INPATIENT (alias HOSPITAL) is medically managed inpatient care, the most intensive
        generic level; the step down from detox is still residential treatment."""
        hospital = GENERIC["HOSPITAL"]
        assert hospital is GENERIC["INPATIENT"] and hospital == max(GENERIC)
        assert hospital.management is cc.Management.MEDICALLY_MANAGED
        assert hospital.setting is cc.Setting.INPATIENT and hospital.is_24_hour
        assert GENERIC.step_down("INPATIENT") is GENERIC["DETOX"]
        assert GENERIC.step_down("DETOX") is GENERIC["RESIDENTIAL"]

    @pytest.mark.parametrize("scheme", [ASAM3, ASAM4])
    def test_locus_6_is_asam_4(self, scheme: cc.Continuum) -> None:
        """LOCUS 6 lands on ASAM 4 in both editions, nowhere below 3.7 (it used to land on
        3.1, 3.3 and 3.5)."""
        cw = cc.crosswalk(LOCUS["6"], to=scheme)
        assert scheme["4"] in cw
        assert all(level >= scheme["3.7"] for level in cw), codes(cw)

    @pytest.mark.parametrize("scheme", [ASAM3, ASAM4])
    def test_asam_4_is_locus_6(self, scheme: cc.Continuum) -> None:
        """ASAM 4 of either edition lands on LOCUS 6 (it used to land on 5)."""
        assert codes(cc.crosswalk(scheme["4"], to=LOCUS)) == ["6"]

    @pytest.mark.parametrize("scheme", [ASAM3, ASAM4, LOCUS])
    def test_generic_inpatient_is_each_schemes_hospital_level(self, scheme: cc.Continuum) -> None:
        """The generic hospital level is ASAM 4 and LOCUS 6, exactly, and back."""
        top = scheme["6" if scheme is LOCUS else "4"]
        cw = cc.crosswalk(GENERIC["INPATIENT"], to=scheme)
        assert cw.levels == (top,) and not cw.approximate
        assert cc.crosswalk(top, to=GENERIC).levels == (GENERIC["INPATIENT"],)

    def test_asam_3_7_is_not_hospital_care(self) -> None:
        """3.7 is medically monitored, often freestanding: above generic residential treatment
        and below hospital care, flagged approximate, and its note does not call it hospital
        care."""
        cw = cc.crosswalk(ASAM3["3.7"], to=GENERIC)
        assert codes(cw) == ["RESIDENTIAL", "INPATIENT"] and cw.approximate
        assert "medically monitored" in cw.note and "hospital-level" not in cw.note
        assert "own approximation" in cw.note

    @pytest.mark.parametrize("scheme", [ASAM3, ASAM4])
    def test_locus_5_is_asam_3_7_and_back(self, scheme: cc.Continuum) -> None:
        """Medically monitored residential care (LOCUS 5) is 3.7 in either edition, not the
        clinically managed 3.1-3.5, and 3.7 comes back to LOCUS 5."""
        cw = cc.crosswalk(LOCUS["5"], to=scheme)
        assert codes(cw) == ["3.7"] and cw.approximate and "generic continuum" in cw.note
        assert codes(cc.crosswalk(scheme["3.7"], to=LOCUS)) == ["5"]


class TestBack:
    def test_asam_2_1_and_locus_3_map_back_to_iop(self) -> None:
        """The crosswalk runs both ways."""
        assert codes(cc.crosswalk(ASAM3["2.1"], to=GENERIC)) == ["IOP"]
        assert codes(cc.crosswalk(ASAM4["2.1"], to=GENERIC)) == ["IOP"]
        assert codes(cc.crosswalk(LOCUS["3"], to=GENERIC)) == ["IOP"]

    def test_asam3_2_1_is_locus_3_through_the_generic_pivot(self) -> None:
        """Between two non-generic schemes the mapping goes through IOP and stays flagged."""
        cw = cc.crosswalk(ASAM3["2.1"], to=LOCUS)
        assert codes(cw) == ["3"] and cw.approximate


class TestASAMEditions:
    @pytest.mark.parametrize("code", ["0.5", "OTP"])
    def test_levels_without_a_4th_edition_counterpart(self, code: str) -> None:
        """0.5 is gone; OTP is integrated; the crosswalk is empty with a note saying so."""
        cw = cc.crosswalk(ASAM3[code], to=ASAM4)
        assert len(cw) == 0 and cw.note

    def test_3_3_to_3_5_is_the_librarys_own_approximation(self) -> None:
        """The notes require any 3.3 mapping to be documented as the library's own."""
        cw = cc.crosswalk(ASAM3["3.3"], to=ASAM4)
        assert codes(cw) == ["3.5"]
        assert cw.approximate and "own approximation" in cw.note

    def test_php_became_high_intensity_outpatient(self) -> None:
        """2.5 maps to 2.5, exactly, with the renaming noted."""
        cw = cc.crosswalk(ASAM3["2.5"], to=ASAM4)
        assert codes(cw) == ["2.5"] and not cw.approximate
        assert "high-intensity" in cw.note

    def test_4th_edition_3_5_is_3rd_edition_3_5(self) -> None:
        """Inverting the table keeps the exact source (3.5) over the approximate (3.3)."""
        cw = cc.crosswalk(ASAM4["3.5"], to=ASAM3)
        assert codes(cw) == ["3.5"] and not cw.approximate

    def test_level_1_split_into_three(self) -> None:
        """The 4th edition splits level 1 into 1.0, 1.5 and 1.7; each maps back to 1."""
        cw = cc.crosswalk(ASAM3["1"], to=ASAM4)
        assert codes(cw) == ["1.0", "1.5", "1.7"] and cw.approximate
        assert codes(cc.crosswalk(ASAM4["1.5"], to=ASAM3)) == ["1"]

    def test_remission_monitoring_is_new(self) -> None:
        """1.0 maps back to level 1, approximately."""
        cw = cc.crosswalk(ASAM4["1.0"], to=ASAM3)
        assert codes(cw) == ["1"] and cw.approximate


class TestErrors:
    def test_same_scheme_returns_the_level(self) -> None:
        """Crosswalking within a scheme is the identity."""
        cw = cc.crosswalk(ASAM3["2.1"], to=ASAM3)
        assert cw.levels == (ASAM3["2.1"],) and not cw.approximate

    def test_unknown_scheme_is_refused(self) -> None:
        """A custom continuum has no crosswalk table."""
        level = cc.LevelOfCare(
            "A", "A", "CUSTOM", cc.Setting.OUTPATIENT,
            overnight=False, supervision=cc.Supervision.SCHEDULED, rank=0,
        )  # fmt: skip
        custom = cc.Continuum("CUSTOM", "custom", [level], "test")
        with pytest.raises(cc.InvalidValueError) as info:
            cc.crosswalk(level, to=ASAM3)
        assert info.value.field == "level.scheme"
        with pytest.raises(cc.InvalidValueError):
            cc.crosswalk(ASAM3["2.1"], to=custom)

    def test_several_levels_cannot_be_flagged_exact(self) -> None:
        """A hand-built crosswalk listing several levels must be flagged approximate, naming
        the field; one level flagged exact is accepted."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Crosswalk(GENERIC["RESIDENTIAL"], "ASAM3", (ASAM3["3.1"], ASAM3["3.5"]), False, "")
        assert info.value.field == "approximate"
        cw = cc.Crosswalk(GENERIC["IOP"], "ASAM3", (ASAM3["2.1"],), False, "")
        assert not cw.approximate

    @pytest.mark.parametrize(("level", "to"), [("IOP", ASAM3), (GENERIC["IOP"], 3)])
    def test_wrong_types_are_refused(self, level: object, to: object) -> None:
        """A code is not a level; a number is neither a continuum nor a scheme's name."""
        with pytest.raises(cc.InvalidTypeError):
            cc.crosswalk(level, to=to)  # type: ignore[arg-type]


BY_SCHEME = dict(ALL)
#: Pairs of schemes a table links directly (the rest go through the generic pivot).
DIRECT = ({"ASAM3", "ASAM4"}, {"ASAM3", "TEDS"}, {"ASAM4", "TEDS"})


@given(levels, continua)
def test_crosswalk_targets_map_back_to_the_source(level: cc.LevelOfCare, to: cc.Continuum) -> None:
    """Every level a crosswalk names is of the target scheme, in intensity order, and (where a
    table links the two schemes directly and the mapping is exact) lists the source in its own
    crosswalk back; mappings through the generic pivot are always flagged approximate."""
    cw = cc.crosswalk(level, to=to)
    assert all(target.scheme == to.scheme for target in cw)
    assert list(cw.levels) == sorted(cw.levels)
    schemes = {level.scheme, to.scheme}
    linked = len(schemes) == 1 or schemes in DIRECT or "GENERIC" in schemes
    for target in cw:
        back = cc.crosswalk(target, to=BY_SCHEME[level.scheme])
        if not linked:
            assert cw.approximate and "generic continuum" in cw.note
        elif not cw.approximate:
            assert level in back


@given(st.sampled_from(GENERIC.levels), continua)
def test_generic_levels_round_trip(level: cc.LevelOfCare, to: cc.Continuum) -> None:
    """Generic -> scheme -> generic comes back to where it started."""
    for target in cc.crosswalk(level, to=to):
        assert level in cc.crosswalk(target, to=GENERIC)


# ---- order and intensity, for every pair of catalog schemes ------------------------------


def reversals(low: cc.Crosswalk, high: cc.Crosswalk) -> list[tuple[str, str]]:
    """Pairs (x, y), x in the crosswalk of a less intensive level and y in that of a more
    intensive one on the same source pathway, where x is more intensive than y on a shared
    target pathway: the crosswalks reverse the two levels' order. Two levels each listed by
    both crosswalks are no reversal: both sources share that choice (TEDS short- and long-term
    residential both correspond to each of ASAM's residential levels, length deciding)."""
    return [
        (x.code, y.code)
        for x in low
        for y in high
        if x.pathway == y.pathway and x > y and not (x in high and y in low)
    ]


def tier(level: cc.LevelOfCare) -> int:
    """Where a 24-hour level sits, in terms every scheme's level names share: 2 for hospital
    care (medically managed, inpatient), 1 for other medically monitored or managed 24-hour
    care, 0 for clinically managed residential care. (Management alone is not enough: the 4th
    edition calls its non-hospital 3.7 "medically managed residential".)"""
    medical = level.management in (cc.Management.MEDICALLY_MONITORED,
                                   cc.Management.MEDICALLY_MANAGED)  # fmt: skip
    if medical and level.setting is cc.Setting.INPATIENT:
        return 2 if level.management is cc.Management.MEDICALLY_MANAGED else 1
    return 1 if medical else 0


def loses_intensity(cw: cc.Crosswalk, to: cc.Continuum) -> bool:
    """True when a 24-hour level's crosswalk lands only on care less intensive than the best
    match `to` has: the target has a 24-hour level of the source's tier (or, lacking one, of
    its highest tier below it), and no level of the crosswalk reaches that tier."""
    tiers = [tier(level) for level in to if level.is_24_hour]
    # TEDS has hospital care and residential care of no stated management, nothing between.
    best = max((t for t in tiers if t <= tier(cw.source)), default=tier(cw.source))
    return bool(cw) and max((tier(t) for t in cw if t.is_24_hour), default=-1) < best


def steps() -> st.SearchStrategy[tuple[cc.LevelOfCare, cc.LevelOfCare]]:
    """Two levels a < b on one pathway of a catalog continuum."""
    chains = [chain for c in ALL.values() for chain in c.pathways.values() if len(chain) > 1]
    return (
        st.sampled_from(chains)
        .flatmap(
            lambda chain: st.lists(st.sampled_from(chain), min_size=2, max_size=2, unique=True)
        )
        .map(lambda pair: (min(pair), max(pair)))
    )


TWENTY_FOUR_HOUR = [level for c in ALL.values() for level in c if level.is_24_hour]


class TestTheChecks:
    """The order and intensity checks below catch the faults they are for."""

    def test_reversals_catch_an_inverted_pair(self) -> None:
        """ASAM4 2.5 -> PHP beside 2.7 -> IOP (the old table) reverses 2.5 < 2.7; 2.7 -> PHP
        does not."""
        php = cc.Crosswalk(ASAM4["2.5"], "GENERIC", (GENERIC["PHP"],), False, "")
        iop = cc.Crosswalk(ASAM4["2.7"], "GENERIC", (GENERIC["IOP"],), True, "old")
        assert reversals(php, iop) == [("PHP", "IOP")]
        assert reversals(php, cc.crosswalk(ASAM4["2.7"], to=GENERIC)) == []

    def test_loses_intensity_catches_hospital_care_sent_to_residential(self) -> None:
        """LOCUS 6 -> ASAM3 3.1, 3.3, 3.5 (the old pivot) loses intensity; LOCUS 6 -> 4 does
        not, nor does a clinically managed level landing on clinically managed care."""
        old = cc.Crosswalk(LOCUS["6"], "ASAM3", (ASAM3["3.1"], ASAM3["3.3"], ASAM3["3.5"]),
                           True, "old")  # fmt: skip
        assert loses_intensity(old, ASAM3)
        assert not loses_intensity(cc.crosswalk(LOCUS["6"], to=ASAM3), ASAM3)
        assert not loses_intensity(cc.crosswalk(ASAM3["3.1"], to=ASAM4), ASAM4)


@given(steps(), continua)
def test_crosswalks_never_reverse_the_order_of_two_levels(
    pair: tuple[cc.LevelOfCare, cc.LevelOfCare], to: cc.Continuum
) -> None:
    """For source levels a < b on one pathway, no level in crosswalk(a) is more intensive than
    a level of the same target pathway in crosswalk(b)."""
    low, high = pair
    assert reversals(cc.crosswalk(low, to=to), cc.crosswalk(high, to=to)) == []


@given(levels, continua)
def test_one_to_many_is_flagged_approximate(level: cc.LevelOfCare, to: cc.Continuum) -> None:
    """A crosswalk listing several levels is not one-to-one, so it is flagged approximate."""
    cw = cc.crosswalk(level, to=to)
    assert len(cw) <= 1 or (cw.approximate and cw.note)


@given(st.sampled_from(TWENTY_FOUR_HOUR), continua)
def test_24_hour_care_keeps_its_intensity(level: cc.LevelOfCare, to: cc.Continuum) -> None:
    """A 24-hour level never lands only on less intensive care than the target has a match
    for (hospital care on hospital care, medically monitored care on medical 24-hour care).
    Where it lands nowhere, the note says why: withdrawal management into LOCUS, which has
    none."""
    cw = cc.crosswalk(level, to=to)
    assert not loses_intensity(cw, to), [t.code for t in cw]
    if not cw:
        assert to is LOCUS and "DETOX" in cw.note


def test_every_pair_of_schemes_keeps_order_and_intensity() -> None:
    """The three properties above, checked exhaustively for every ordered pair of catalog
    schemes (each crosswalk and its reverse)."""
    for source, to in itertools.product(ALL.values(), repeat=2):
        walks = {level: cc.crosswalk(level, to=to) for level in source}
        for chain in source.pathways.values():
            for low, high in itertools.combinations(chain, 2):
                assert reversals(walks[low], walks[high]) == [], (low, high, to.scheme)
        for level, cw in walks.items():
            assert len(cw) <= 1 or cw.approximate, (level, to.scheme)
            assert not (level.is_24_hour and loses_intensity(cw, to)), (level, to.scheme)
