"""Levels of care, continua and the catalogs, checked against the domain notes."""

from __future__ import annotations

import copy
import itertools
import json
import pickle

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum._errors import _MAX_SUGGESTED_LENGTH
from carecontinuum.catalogs import ALL, ASAM3, ASAM4, GENERIC, LOCUS
from fuzzing import cpu_time
from strategies import continua

OUT, RES, INP, COMMUNITY = (
    cc.Setting.OUTPATIENT,
    cc.Setting.RESIDENTIAL,
    cc.Setting.INPATIENT,
    cc.Setting.COMMUNITY,
)


class TestGeneric:
    def test_codes_run_from_least_to_most_intensive(self) -> None:
        """The generic continuum lists recovery support first, then detox, and hospital care
        last."""
        assert GENERIC.codes == (
            "RECOVERY", "OP", "IOP", "PHP", "RESIDENTIAL", "DETOX", "INPATIENT"
        )  # fmt: skip

    def test_php_iop_and_standard_outpatient_are_outpatient(self) -> None:
        """An IOP is outpatient care, as are PHP and standard outpatient; nothing else is."""
        assert {lvl.code for lvl in GENERIC if lvl.is_outpatient} == {"OP", "IOP", "PHP"}

    def test_residential_detox_and_hospital_are_24_hour_overnight_care(self) -> None:
        """Residential means living at the facility with 24-hour supervision; detox is
        medically monitored, hospital care medically managed."""
        for code in ("RESIDENTIAL", "DETOX", "INPATIENT"):
            level = GENERIC[code]
            assert level.overnight and level.is_24_hour
        assert GENERIC["RESIDENTIAL"].setting is RES
        assert GENERIC["DETOX"].management is cc.Management.MEDICALLY_MONITORED
        assert GENERIC["INPATIENT"].management is cc.Management.MEDICALLY_MANAGED

    def test_recovery_support_is_community_without_supervision(self) -> None:
        """Recovery support lies beyond the treatment levels: no clinical supervision."""
        recovery = GENERIC["RECOVERY"]
        assert recovery.setting is COMMUNITY
        assert recovery.supervision is cc.Supervision.NONE
        assert not recovery.is_outpatient

    def test_step_down_from_php_reaches_recovery_in_order(self) -> None:
        """Stepping down one level at a time walks the whole continuum."""
        walk, level = [], GENERIC["INPATIENT"]
        while level is not None:
            walk.append(level.code)
            level = GENERIC.step_down(level)
        assert walk == ["INPATIENT", "DETOX", "RESIDENTIAL", "PHP", "IOP", "OP", "RECOVERY"]


class TestASAM3:
    def test_all_codes_of_the_issue_are_present(self) -> None:
        """Every ASAM 3rd-edition code named in the domain notes is a level."""
        expected = {
            "0.5", "1", "2.1", "2.5", "3.1", "3.3", "3.5", "3.7", "4",
            "1-WM", "2-WM", "3.2-WM", "3.7-WM", "4-WM", "OTP",
        }  # fmt: skip
        assert set(ASAM3.codes) == expected

    @pytest.mark.parametrize(
        ("code", "name", "setting", "overnight"),
        [
            ("0.5", "Early Intervention", OUT, False),
            ("1", "Outpatient Services", OUT, False),
            ("2.1", "Intensive Outpatient Services", OUT, False),
            ("2.5", "Partial Hospitalization Services", OUT, False),
            ("3.1", "Clinically Managed Low-Intensity Residential Services", RES, True),
            ("3.5", "Clinically Managed High-Intensity Residential Services", RES, True),
            ("3.7", "Medically Monitored Intensive Inpatient Services", INP, True),
            ("4", "Medically Managed Intensive Inpatient Services", INP, True),
        ],
    )
    def test_level_names_and_settings(
        self, code: str, name: str, setting: cc.Setting, overnight: bool
    ) -> None:
        """Names and settings follow the 3rd edition's table."""
        level = ASAM3[code]
        assert (level.name, level.setting, level.overnight) == (name, setting, overnight)

    def test_management_follows_the_level_names(self) -> None:
        """Clinically managed residential, medically monitored 3.7, medically managed 4."""
        assert ASAM3["3.1"].management is cc.Management.CLINICALLY_MANAGED
        assert ASAM3["3.3"].management is cc.Management.CLINICALLY_MANAGED
        assert ASAM3["3.7"].management is cc.Management.MEDICALLY_MONITORED
        assert ASAM3["4"].management is cc.Management.MEDICALLY_MANAGED
        assert ASAM3["3.2-WM"].management is cc.Management.CLINICALLY_MANAGED
        assert ASAM3["4-WM"].management is cc.Management.MEDICALLY_MANAGED

    def test_adolescent_names_differ_for_3_5_and_3_7(self) -> None:
        """3.5 is medium-intensity and 3.7 high-intensity inpatient for adolescents."""
        assert "Medium-Intensity" in (ASAM3["3.5"].adolescent_name or "")
        assert "High-Intensity Inpatient" in (ASAM3["3.7"].adolescent_name or "")
        assert ASAM3["2.1"].adolescent_name is None

    def test_withdrawal_management_is_a_chain_of_its_own(self) -> None:
        """WM levels step up and down among themselves, never into the main levels."""
        assert [lvl.code for lvl in ASAM3.pathways["withdrawal management"]] == [
            "1-WM", "2-WM", "3.2-WM", "3.7-WM", "4-WM",
        ]  # fmt: skip
        assert ASAM3.step_up("2-WM") == ASAM3["3.2-WM"]
        assert ASAM3.step_down("1-WM") is None
        assert ASAM3.step_up("4-WM") is None

    def test_main_chain_skips_withdrawal_management(self) -> None:
        """2.5 steps up to 3.1, not to 3.2-WM, although 3.2-WM lies between by number."""
        assert ASAM3.step_up("2.5") == ASAM3["3.1"]
        assert ASAM3.step_up("3.1") == ASAM3["3.3"]
        assert ASAM3["3.1"] < ASAM3["3.2-WM"] < ASAM3["3.3"]

    def test_opioid_treatment_runs_alongside_and_has_no_neighbours(self) -> None:
        """OTP is concurrent with another level; there is nothing to step to."""
        otp = ASAM3["OTP"]
        assert otp.concurrent and otp.pathway == "opioid treatment"
        assert ASAM3.step_up(otp) is None and ASAM3.step_down(otp) is None
        assert not any(lvl.concurrent for lvl in ASAM3 if lvl is not otp)

    @pytest.mark.parametrize(
        ("alias", "code"),
        [("II.1", "2.1"), ("III.7-D", "3.7-WM"), ("I-D", "1-WM"), ("IV", "4"), ("II.5", "2.5")],
    )
    def test_older_codes_are_aliases(self, alias: str, code: str) -> None:
        """PPC-2R codes still seen in state texts find the current level."""
        assert ASAM3[alias] is ASAM3[code]
        assert alias not in ASAM3.codes


class TestASAM4:
    def test_codes(self) -> None:
        """Ten levels in one chain; 0.5 and 3.3 are gone and WM is integrated."""
        assert ASAM4.codes == (
            "1.0", "1.5", "1.7", "2.1", "2.5", "2.7", "3.1", "3.5", "3.7", "4",
        )  # fmt: skip
        assert set(ASAM4.pathways) == {"main"}
        assert "0.5" not in ASAM4 and "3.3" not in ASAM4

    def test_2_5_is_high_intensity_outpatient(self) -> None:
        """Partial hospitalization was renamed high-intensity outpatient (HIOP)."""
        assert ASAM4["2.5"].name == "High-Intensity Outpatient"
        assert ASAM4["HIOP"] is ASAM4["2.5"]
        assert ASAM4["2.5"].is_outpatient

    def test_medically_managed_levels(self) -> None:
        """1.7, 2.7, 3.7 and 4 are medically managed in the 4th edition."""
        managed = {lvl.code for lvl in ASAM4 if lvl.management is cc.Management.MEDICALLY_MANAGED}
        assert managed == {"1.7", "2.7", "3.7", "4"}


class TestLOCUS:
    def test_levels_zero_to_six(self) -> None:
        """LOCUS has seven levels, 0 (basic services) to 6 (medically managed residential)."""
        assert LOCUS.codes == ("0", "1", "2", "3", "4", "5", "6")
        assert LOCUS["0"].name == "Basic Services"
        assert LOCUS["4"].name == "Medically Monitored Non-Residential Services"
        assert LOCUS["6"].name == "Medically Managed Residential Services"

    def test_non_residential_levels_are_outpatient(self) -> None:
        """Levels 1-4 carry no overnight stay; 5 and 6 do."""
        assert [lvl.is_outpatient for lvl in LOCUS] == [False, True, True, True, True, False, False]
        assert LOCUS["5"].overnight and LOCUS["6"].overnight


class TestContinuum:
    @pytest.mark.parametrize("continuum", list(ALL.values()), ids=list(ALL))
    def test_every_catalog_cites_a_source(self, continuum: cc.Continuum) -> None:
        """Catalogs are data with provenance."""
        assert len(continuum.source) > 40
        assert all(lvl.scheme == continuum.scheme for lvl in continuum)

    def test_unknown_code_names_close_matches(self) -> None:
        """A mistyped code raises UnknownLevelError, a KeyError, suggesting the near codes."""
        with pytest.raises(cc.UnknownLevelError) as info:
            ASAM3["2.2"]
        error = info.value
        assert isinstance(error, KeyError) and isinstance(error, cc.CareContinuumError)
        assert "2.1" in error.suggestions
        assert "'2.2'" in str(error) and "'2.1'" in str(error)
        assert error.scheme == "ASAM3"

    def test_generic_codes_suggest_the_corresponding_level(self) -> None:
        """'IOP' looked up in ASAM3 suggests 2.1, not 'OTP', which merely looks alike."""
        with pytest.raises(cc.UnknownLevelError) as info:
            ASAM3["IOP"]
        assert info.value.suggestions == ("2.1",)
        with pytest.raises(cc.UnknownLevelError) as info:
            LOCUS["php"]
        assert info.value.suggestions == ("4",)

    @pytest.mark.parametrize(("scheme", "code"), [(ASAM3, "4"), (ASAM4, "4"), (LOCUS, "6")])
    def test_hospital_suggests_each_schemes_hospital_level(
        self, scheme: cc.Continuum, code: str
    ) -> None:
        """'hospital' (the generic INPATIENT's alias) suggests the scheme's top level, not a
        residential one."""
        with pytest.raises(cc.UnknownLevelError) as info:
            scheme["hospital"]
        assert info.value.suggestions == (code,)

    def test_unknown_code_is_matched_case_insensitively_in_suggestions(self) -> None:
        """'iop' suggests 'IOP'."""
        with pytest.raises(cc.UnknownLevelError) as info:
            GENERIC["iop"]
        assert info.value.suggestions == ("IOP",)

    @pytest.mark.parametrize("key", [2.1, None, ("2.1",), b"2.1"])
    def test_non_string_keys_raise_unknown_level(self, key: object) -> None:
        """A float code is not silently turned into a string."""
        with pytest.raises(cc.UnknownLevelError):
            ASAM3[key]  # type: ignore[index]

    def test_step_from_a_level_of_another_scheme_raises(self) -> None:
        """Stepping is only defined within the level's own continuum."""
        with pytest.raises(cc.SchemeMismatchError):
            GENERIC.step_up(ASAM3["2.1"])

    def test_step_from_a_foreign_level_of_the_same_scheme_raises(self) -> None:
        """A level of one's own in the catalog's scheme is not a member: stepping from it is
        refused."""
        own = attrs.evolve(GENERIC["IOP"], code="OUR-IOP")
        with pytest.raises(cc.UnknownLevelError):
            GENERIC.step_down(own)
        assert own not in GENERIC

    def test_step_with_a_non_level_raises_a_type_error(self) -> None:
        """Passing a number is an InvalidTypeError naming 'level'."""
        with pytest.raises(cc.InvalidTypeError) as info:
            GENERIC.step_up(3)  # type: ignore[arg-type]
        assert info.value.field == "level"

    def test_comparing_schemes_raises(self) -> None:
        """Intensity is ordered within one scheme only."""
        with pytest.raises(cc.SchemeMismatchError) as info:
            _ = GENERIC["IOP"] < ASAM3["2.5"]
        assert isinstance(info.value, TypeError)
        assert "crosswalk" in str(info.value)

    def test_comparing_with_a_non_level_is_a_type_error(self) -> None:
        """Levels do not compare with strings or numbers."""
        with pytest.raises(TypeError):
            _ = GENERIC["IOP"] < "PHP"  # type: ignore[operator]

    def test_max_picks_the_most_intensive(self) -> None:
        """Ordering supports max() and sorted()."""
        assert max(ASAM3["1"], ASAM3["3.5"], ASAM3["2.1"]).code == "3.5"
        assert sorted([GENERIC["PHP"], GENERIC["OP"]]) == [GENERIC["OP"], GENERIC["PHP"]]

    def test_levels_are_sorted_by_rank_whatever_order_given(self) -> None:
        """A continuum built from shuffled levels lists them by intensity."""
        levels = list(reversed(GENERIC.levels))
        rebuilt = cc.Continuum("GENERIC", "again", levels, "test")
        assert rebuilt.codes == GENERIC.codes

    def test_duplicate_codes_are_rejected(self) -> None:
        """Two levels with one code would make look-ups ambiguous."""
        day = cc.LevelOfCare("DAY", "Day", "CLINIC", OUT, overnight=False,
                             supervision=cc.Supervision.SCHEDULED, rank=0)  # fmt: skip
        twin = attrs.evolve(day, rank=99)
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Continuum("CLINIC", "x", [day, twin], "test")
        assert "code" in info.value.field

    def test_duplicate_ranks_are_rejected(self) -> None:
        """Two levels at one rank would make the order partial."""
        twin = attrs.evolve(GENERIC["IOP"], code="IOP2")
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Continuum("GENERIC", "x", [*GENERIC.levels, twin], "test")
        assert info.value.field.endswith(".rank")

    def test_levels_of_another_scheme_are_rejected(self) -> None:
        """A continuum holds one scheme."""
        with pytest.raises(cc.InvalidValueError):
            cc.Continuum("GENERIC", "x", [*GENERIC.levels, ASAM3["2.1"]], "test")

    @pytest.mark.parametrize("levels", [[], "IOP", 5, [GENERIC["IOP"], "OP"]])
    def test_malformed_level_lists_are_rejected(self, levels: object) -> None:
        """Empty lists, strings and non-levels raise CareContinuumError."""
        with pytest.raises(cc.CareContinuumError):
            cc.Continuum("GENERIC", "x", levels, "test")

    def test_get_returns_default_for_unknown_codes(self) -> None:
        """get() is the non-raising look-up."""
        assert GENERIC.get("NOPE") is None
        assert GENERIC.get("IOP") is GENERIC["IOP"]
        assert GENERIC.get(3) is None  # type: ignore[call-overload]

    def test_continua_pickle_and_copy_to_equal_values(self) -> None:
        """Values cross process boundaries unchanged."""
        for continuum in ALL.values():
            clone = pickle.loads(pickle.dumps(continuum))
            assert clone == continuum
            assert clone["2.1" if "2.1" in continuum else continuum.codes[0]] in continuum
            assert copy.deepcopy(continuum) == continuum

    def test_evolve_builds_a_checked_continuum(self) -> None:
        """attrs.evolve works on a continuum and runs its checks again."""
        renamed = attrs.evolve(GENERIC, name="Our continuum")
        assert renamed["IOP"] is GENERIC["IOP"] and renamed.name == "Our continuum"
        with pytest.raises(cc.InvalidValueError):
            attrs.evolve(GENERIC, levels=(*GENERIC.levels, ASAM3["2.1"]))

    def test_levels_are_frozen(self) -> None:
        """No public attribute can be rebound."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            GENERIC["IOP"].code = "X"  # type: ignore[misc]


class TestLookupBounds:
    """An unknown code costs what its length costs to refuse, and the error stays short
    (issue 13)."""

    def test_the_issue_example_a_million_character_code_is_refused_at_once(self) -> None:
        """GENERIC["Q" * 10**6] took 2.7 s (fuzzy matching) and echoed a megabyte: now it is
        refused at once, without suggestions, in a message of a few hundred characters."""
        for continuum in ALL.values():
            with cpu_time() as spent, pytest.raises(cc.UnknownLevelError) as info:
                continuum["Q" * 10**6]
            assert spent.seconds < 1.0
            assert info.value.suggestions == ()
            assert len(str(info.value)) < 400 and "1,000,000 characters" in str(info.value)
            assert info.value.code == "Q" * 10**6  # the attribute keeps the value whole

    def test_the_issue_example_a_10_mb_payload_of_long_codes_is_refused_at_once(self) -> None:
        """Ten stays whose level codes are a megabyte each (10 MB, 29 s before) are refused,
        every one reported, in a short message."""
        episode = cc.Episode.admit("c-1", "IOP", pendulum.date(2026, 3, 2), continuum=GENERIC)
        data = cc.to_dict(episode)
        stay = data["stays"][0]
        data["stays"] = [
            {**stay, "level": {"scheme": "GENERIC", "code": chr(65 + k) * 10**6}} for k in range(10)
        ]
        assert len(json.dumps(data)) > 10**7
        with cpu_time() as spent, pytest.raises(cc.DataError) as info:
            cc.from_dict(cc.Episode, data)
        assert spent.seconds < 1.0
        problems = info.value.problems
        assert [p.split(":")[0] for p in problems] == [f"stays[{k}].level.code" for k in range(10)]
        assert len(str(info.value)) < 5_000

    def test_suggestions_reach_the_longest_lookup_and_stop_past_it(self) -> None:
        """A typo of a code as long as the limit (100 characters) is still suggested; one a
        character longer is refused without comparing it."""

        def continuum_with(code: str) -> cc.Continuum:
            level = cc.LevelOfCare(code, "Long", "CLINIC", OUT, overnight=False,
                                   supervision=cc.Supervision.SCHEDULED, rank=0)  # fmt: skip
            return cc.Continuum("CLINIC", "x", [level], "test")

        at = "L" * (_MAX_SUGGESTED_LENGTH - 1)
        with pytest.raises(cc.UnknownLevelError) as info:
            continuum_with(at + "A")[at + "B"]
        assert info.value.suggestions == (at + "A",)
        over = "L" * _MAX_SUGGESTED_LENGTH
        with pytest.raises(cc.UnknownLevelError) as info:
            continuum_with(over + "A")[over + "B"]
        assert info.value.suggestions == ()

    def test_numbers_are_compared_as_their_digits_and_other_objects_not_at_all(self) -> None:
        """ASAM3[3.1] suggests '3.1'; a list, a huge int or a bytes value gets no suggestion
        and no crash."""
        with pytest.raises(cc.UnknownLevelError) as info:
            ASAM3[3.1]  # type: ignore[index]
        assert info.value.suggestions == ("3.1",)
        for junk in (["2.1"], 10**5000, b"2.1", None):
            with pytest.raises(cc.UnknownLevelError) as info:
                ASAM3[junk]  # type: ignore[index]
            assert info.value.suggestions == ()
            assert len(str(info.value)) < 400


class TestLevelOfCareConstruction:
    def _make(self, **overrides: object) -> cc.LevelOfCare:
        fields: dict[str, object] = {
            "code": "X",
            "name": "X level",
            "scheme": "S",
            "setting": OUT,
            "overnight": False,
            "supervision": cc.Supervision.SCHEDULED,
            "rank": 0,
        }
        fields.update(overrides)
        code, name, scheme, setting = (fields.pop(k) for k in ("code", "name", "scheme", "setting"))
        return cc.LevelOfCare(code, name, scheme, setting, **fields)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("field", "value", "error"),
        [
            ("code", "", cc.InvalidValueError),
            ("code", 21, cc.InvalidTypeError),
            ("setting", "out-patient", cc.InvalidValueError),
            ("setting", 2, cc.InvalidTypeError),
            ("overnight", 0, cc.InvalidTypeError),
            ("rank", True, cc.InvalidTypeError),
            ("rank", -1, cc.InvalidValueError),
            ("rank", 1.0, cc.InvalidTypeError),
            ("supervision", None, cc.InvalidTypeError),
            ("management", "managed", cc.InvalidValueError),
            ("management", 1, cc.InvalidTypeError),
            ("aliases", "II.1", cc.InvalidTypeError),
            ("aliases", ("ok", ""), cc.InvalidValueError),
        ],
    )
    def test_malformed_fields_raise_naming_the_field(
        self, field: str, value: object, error: type[Exception]
    ) -> None:
        """Bad input is refused with the library's error naming the field and the value."""
        with pytest.raises(error) as info:
            self._make(**{field: value})
        error_field: str = info.value.field  # type: ignore[attr-defined]
        got: object = info.value.value  # type: ignore[attr-defined]
        assert error_field.split("[", maxsplit=1)[0] == field
        assert got is value or (isinstance(value, tuple) and got in value)
        assert repr(got) in str(info.value)

    def test_an_outpatient_level_cannot_be_overnight(self) -> None:
        """Outpatient care is by definition without an overnight stay."""
        with pytest.raises(cc.InvalidValueError) as info:
            self._make(overnight=True)
        assert info.value.field == "overnight"


class TestCatalogLevelsAreTheCatalogs:
    """A catalog scheme and code identify the catalog's level: a level claiming them must be
    that level, field for field, so equality, hashing and rule scoping cannot disagree."""

    KEYWORDS = ("overnight", "supervision", "management", "rank", "pathway", "concurrent",
                "aliases", "adolescent_name")  # fmt: skip

    def _as(self, level: cc.LevelOfCare, **changes: object) -> cc.LevelOfCare:
        """A level built field by field from `level`, with `changes`."""
        fields = {f: getattr(level, f) for f in ("code", "name", "setting", *self.KEYWORDS)}
        fields.update(changes)
        code, name, setting = fields.pop("code"), fields.pop("name"), fields.pop("setting")
        return cc.LevelOfCare(code, name, level.scheme, setting, **fields)  # type: ignore[arg-type]

    def test_a_copy_of_a_catalog_level_is_accepted_and_equal(self) -> None:
        """Rebuilt field for field, every catalog level is accepted, equal, and hashes alike."""
        for continuum in ALL.values():
            for level in continuum:
                copy_ = self._as(level)
                assert copy_ == level and hash(copy_) == hash(level)

    @pytest.mark.parametrize(
        ("level", "changes", "field"),
        [
            (GENERIC["IOP"], {"name": "Intensive outpatient "}, "name"),
            (GENERIC["IOP"], {"rank": 3}, "rank"),
            (ASAM3["2.1"], {"aliases": ()}, "aliases"),
            (ASAM3["3.7"], {"management": cc.Management.MEDICALLY_MANAGED}, "management"),
            (LOCUS["6"], {"setting": RES}, "setting"),
            (ASAM3["2.1"], {"code": "II.1"}, "code"),
            (ASAM3["2.1"], {"code": "OWN", "aliases": ("ok", "IV")}, "aliases[1]"),
        ],
    )
    def test_a_look_alike_is_refused_naming_the_field(
        self, level: cc.LevelOfCare, changes: dict[str, object], field: str
    ) -> None:
        """A level claiming a catalog code (or alias) but differing in one field is refused,
        naming that field and saying where the catalog's level is."""
        with pytest.raises(cc.InvalidValueError) as info:
            self._as(level, **changes)
        assert info.value.field == field
        assert "catalogs." in str(info.value)

    def test_the_issues_half_hour_iop_cannot_pass_the_iop_rules(self) -> None:
        """The 0.5-hour "IOP" with a trailing space in its name used to pass TYPICAL_IOP and
        MEDICARE_2024 (no rule applied); it is now refused, and the real IOP fails both."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.LevelOfCare("IOP", "Intensive outpatient ", "GENERIC", OUT, overnight=False,
                           supervision=cc.Supervision.SCHEDULED, rank=2)  # fmt: skip
        assert info.value.field == "name"
        half_hour = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon"],
                                               hours_per_session=0.5, weeks=8)  # fmt: skip
        for ruleset in (rulesets.TYPICAL_IOP, rulesets.MEDICARE_2024):
            assert not cc.validate(half_hour, ruleset).ok

    def test_levels_of_ones_own_are_not_checked_against_the_catalogs(self) -> None:
        """A scheme of one's own may reuse any code; a catalog scheme takes new codes."""
        mine = self._as(GENERIC["IOP"], code="OUR-IOP", name="Our IOP", rank=7)
        assert mine.scheme == "GENERIC" and mine not in GENERIC
        clinic = cc.LevelOfCare("IOP", "Our IOP", "CLINIC", OUT, overnight=False,
                                supervision=cc.Supervision.SCHEDULED, rank=0)  # fmt: skip
        assert clinic.scheme == "CLINIC"

    def test_pickling_returns_the_catalogs_level_and_checks_others(self) -> None:
        """A catalog level unpickles as the catalog's own object; a pickle carrying a
        look-alike is refused on load, as its constructor would refuse it."""
        assert pickle.loads(pickle.dumps(ASAM3["3.7"])) is ASAM3["3.7"]
        assert copy.deepcopy(GENERIC["IOP"]) is GENERIC["IOP"]
        own = attrs.evolve(GENERIC["IOP"], code="OUR-IOP")
        assert pickle.loads(pickle.dumps(own)) == own
        _, fields = GENERIC["IOP"].__reduce__()
        forged = pickle.dumps(_Forged(("IOP", "Intensive outpatient ", *fields[2:])))
        with pytest.raises(cc.InvalidValueError) as info:
            pickle.loads(forged)
        assert info.value.field == "name"


class _Forged:
    """An object that pickles as a level built from `fields` (a stored, edited pickle)."""

    def __init__(self, fields: tuple[object, ...]) -> None:
        self.fields = fields

    def __reduce__(self) -> tuple[object, ...]:
        return (GENERIC["IOP"].__reduce__()[0], self.fields)


# ---- properties -----------------------------------------------------------------------------


@given(continua.flatmap(lambda c: st.tuples(*(st.sampled_from(c.levels),) * 3)))
def test_ordering_is_a_total_order_per_scheme(
    triple: tuple[cc.LevelOfCare, cc.LevelOfCare, cc.LevelOfCare],
) -> None:
    """Within a scheme exactly one of a<b, a==b, b<a holds, and < is transitive."""
    a, b, c = triple
    assert [a < b, a == b, b < a].count(True) == 1
    assert (a <= b) == (a < b or a == b)
    assert (a >= b) == (b <= a)
    assert (a > b) == (b < a)
    if a < b < c:
        assert a < c


@given(continua.flatmap(lambda c: st.tuples(st.just(c), st.sampled_from(c.levels))))
def test_step_up_and_step_down_are_inverse(pair: tuple[cc.Continuum, cc.LevelOfCare]) -> None:
    """Where a step exists, stepping back returns the level, and steps go the right way."""
    continuum, level = pair
    up, down = continuum.step_up(level), continuum.step_down(level)
    if up is not None:
        assert continuum.step_down(up) == level
        assert level < up and up.pathway == level.pathway
    if down is not None:
        assert continuum.step_up(down) == level
        assert down < level and down.pathway == level.pathway


@given(continua)
def test_levels_run_least_to_most_intensive(continuum: cc.Continuum) -> None:
    """continuum.levels is strictly increasing in intensity and look-ups return its members."""
    levels = continuum.levels
    assert all(a < b for a, b in itertools.pairwise(levels))
    assert all(continuum[lvl.code] is lvl for lvl in levels)
    assert len(continuum) == len(set(continuum.codes))


def test_a_level_keeps_its_hash_outside_its_fields() -> None:
    """A level hashes once and keeps the hash outside its fields (the rule engine keys its plans
    by levels): not a field, not pickled; a copy, an unpickled or an evolved level hashes as the
    level it equals, and an evolved level with another code does not reuse the kept hash."""
    level = ASAM3["2.1"]
    first = hash(level)
    assert hash(level) == first == hash((level.scheme, level.code, level.rank))
    assert "_derived" not in attrs.asdict(level, recurse=False) and "_derived" not in repr(level)
    for other in (pickle.loads(pickle.dumps(level)), copy.copy(level), copy.deepcopy(level)):
        assert other == level and hash(other) == first
    own = attrs.evolve(GENERIC["IOP"], scheme="Clinic", code="EIOP")
    assert hash(own) == hash(("Clinic", "EIOP", own.rank)) != hash(GENERIC["IOP"])


_ENUMS = [cc.Population, cc.Track, cc.Service, cc.Modality, cc.Severity, cc.Setting,
          cc.AttendanceStatus, cc.DischargeReason]  # fmt: skip


@given(st.sampled_from(_ENUMS).flatmap(st.sampled_from))
def test_enum_members_hash_by_identity_and_survive_pickling(member: object) -> None:
    """The library's enums hash their members by identity (members are singletons; the engine
    keys its plans by them): a member pickled and read back is the same member and finds its
    entry in a dict."""
    table = {member: "found"}
    back = pickle.loads(pickle.dumps(member))
    assert back is member and table[back] == "found" and hash(back) == object.__hash__(member)
