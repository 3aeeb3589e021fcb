"""TEDS as a scheme: the catalog against SAMHSA's definitions, its crosswalks against the
correspondences the domain notes state, `teds_setting` at its edges, and a continuum of the
user's own that carries its mapping to the generic continuum."""

from __future__ import annotations

import pickle

import pendulum
import pytest

import carecontinuum as cc
from carecontinuum import catalogs
from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC, LOCUS, TEDS

# SAMHSA's TEDS codebooks, variable SERVICES / SERVICES_D: code -> label, and the facts the
# definitions state (TEDS 2012, chapter 4): hospital or not, 24-hour or ambulatory.
SAMHSA = {
    "1": ("Detox, 24-hour, hospital inpatient", cc.Setting.INPATIENT),
    "2": ("Detox, 24-hour, free-standing residential", cc.Setting.RESIDENTIAL),
    "3": ("Rehab/residential, hospital (non-detox)", cc.Setting.INPATIENT),
    "4": ("Rehab/residential, short term (30 days or fewer)", cc.Setting.RESIDENTIAL),
    "5": ("Rehab/residential, long term (more than 30 days)", cc.Setting.RESIDENTIAL),
    "6": ("Ambulatory, intensive outpatient", cc.Setting.OUTPATIENT),
    "7": ("Ambulatory, non-intensive outpatient", cc.Setting.OUTPATIENT),
    "8": ("Ambulatory, detoxification", cc.Setting.OUTPATIENT),
}
DETOX_CODES = {"1", "2", "8"}

DAY = pendulum.date(2026, 1, 1)


def codes(cw: cc.Crosswalk) -> list[str]:
    return sorted(level.code for level in cw)


class TestCatalog:
    def test_the_eight_codes_and_samhsas_labels(self) -> None:
        """Codes "1" to "8", each named as the codebook labels it."""
        assert sorted(TEDS.codes) == sorted(SAMHSA)
        for code, (name, _) in SAMHSA.items():
            assert TEDS[code].name == name

    @pytest.mark.parametrize("code", sorted(SAMHSA))
    def test_settings_follow_the_definitions(self, code: str) -> None:
        """Hospital settings are inpatient, free-standing ones residential, ambulatory ones
        outpatient; 24-hour care is overnight and supervised around the clock, ambulatory
        care neither."""
        level = TEDS[code]
        _, setting = SAMHSA[code]
        assert level.setting is setting
        ambulatory = level.name.startswith("Ambulatory")
        assert level.overnight is not ambulatory and level.is_24_hour is not ambulatory
        hospital = "hospital" in level.name
        assert (level.management is cc.Management.MEDICALLY_MANAGED) is hospital

    def test_detoxification_is_a_pathway_of_its_own(self) -> None:
        """1, 2 and 8 are the detoxification pathway; stepping down from short-term
        residential reaches long-term residential, not detox."""
        assert {lvl.code for lvl in TEDS.pathways["detoxification"]} == DETOX_CODES
        assert TEDS.step_down("4") is TEDS["5"]
        assert TEDS.step_down("1") is TEDS["2"]

    def test_ranked_by_intensity(self) -> None:
        """Outpatient below intensive outpatient, ambulatory below 24-hour care, short-term
        residential above long-term (which includes halfway houses), hospital care on top."""
        assert TEDS["7"] < TEDS["6"] < TEDS["5"] < TEDS["4"] < TEDS["3"]
        assert TEDS["8"] < TEDS["2"] < TEDS["1"]
        assert max(TEDS) is TEDS["1"]
        assert all(lvl < TEDS["5"] for lvl in TEDS if not lvl.is_24_hour)

    def test_published_with_the_catalogs(self) -> None:
        """TEDS is in catalogs.ALL and __all__, cites SAMHSA and the variable, and a level
        claiming TEDS and one of its codes must be the catalog's."""
        assert catalogs.ALL["TEDS"] is TEDS and "TEDS" in catalogs.__all__
        assert "SAMHSA" in TEDS.source and "SERVICES" in TEDS.source
        with pytest.raises(cc.InvalidValueError) as info:
            cc.LevelOfCare("6", "IOP", "TEDS", "outpatient", overnight=False,
                           supervision="scheduled", rank=1)  # fmt: skip
        assert info.value.field == "name"


# The domain notes' and the brief's correspondences, scheme -> TEDS: code -> (TEDS codes,
# approximate).
TO_TEDS = {
    "ASAM3": {
        "0.5": ([], False), "1": (["7"], False), "1-WM": (["8"], False), "OTP": ([], False),
        "2-WM": (["8"], False), "2.1": (["6"], False), "2.5": (["6"], True),
        "3.1": (["4", "5"], True), "3.2-WM": (["2"], True), "3.3": (["4", "5"], True),
        "3.5": (["4", "5"], True), "3.7": (["4", "5"], True), "3.7-WM": (["1", "2"], True),
        "4": (["3"], False), "4-WM": (["1"], False),
    },
    "ASAM4": {
        "1.0": ([], False), "1.5": (["7"], False), "1.7": (["7", "8"], True),
        "2.1": (["6"], False), "2.5": (["6"], True), "2.7": (["6", "8"], True),
        "3.1": (["4", "5"], True), "3.5": (["4", "5"], True), "3.7": (["2", "4", "5"], True),
        "4": (["1", "3"], True),
    },
    "GENERIC": {
        "RECOVERY": ([], False), "OP": (["7"], False), "IOP": (["6"], True),
        "PHP": (["6"], True), "RESIDENTIAL": (["4", "5"], True), "DETOX": (["1", "2", "8"], True),
        "INPATIENT": (["3"], False),
    },
}  # fmt: skip
# TEDS -> scheme, the reverse direction as the inverted tables give it.
FROM_TEDS = {
    "ASAM3": {
        "1": (["4-WM"], False), "2": (["3.2-WM", "3.7-WM"], True), "3": (["4"], False),
        "4": (["3.1", "3.3", "3.5", "3.7"], True), "5": (["3.1", "3.3", "3.5", "3.7"], True),
        "6": (["2.1"], False), "7": (["1"], False), "8": (["1-WM", "2-WM"], True),
    },
    "ASAM4": {
        "1": (["4"], True), "2": (["3.7"], True), "3": (["4"], True),
        "4": (["3.1", "3.5", "3.7"], True), "5": (["3.1", "3.5", "3.7"], True),
        "6": (["2.1"], False), "7": (["1.5"], False), "8": (["1.7", "2.7"], True),
    },
    "GENERIC": {
        "1": (["DETOX", "INPATIENT"], True), "2": (["DETOX"], True), "3": (["INPATIENT"], False),
        "4": (["RESIDENTIAL"], False), "5": (["RESIDENTIAL"], False),
        "6": (["IOP", "PHP"], True), "7": (["OP"], False), "8": (["DETOX"], True),
    },
}  # fmt: skip
BY_SCHEME = {"ASAM3": ASAM3, "ASAM4": ASAM4, "GENERIC": GENERIC}


class TestCrosswalk:
    @pytest.mark.parametrize(
        ("scheme", "code"), [(s, c) for s, table in TO_TEDS.items() for c in table]
    )
    def test_every_row_to_teds(self, scheme: str, code: str) -> None:
        """Each level lands on the TEDS settings the table states, flagged as it states,
        with a note wherever it is approximate or empty."""
        cw = cc.crosswalk(BY_SCHEME[scheme][code], to=TEDS)
        expected, approximate = TO_TEDS[scheme][code]
        assert (codes(cw), cw.approximate) == (expected, approximate)
        assert cw.note or (cw and not cw.approximate)

    @pytest.mark.parametrize(
        ("scheme", "code"), [(s, c) for s, table in FROM_TEDS.items() for c in table]
    )
    def test_every_row_from_teds(self, scheme: str, code: str) -> None:
        """Each TEDS setting lands back on the levels the table states, flagged so."""
        cw = cc.crosswalk(TEDS[code], to=BY_SCHEME[scheme])
        expected, approximate = FROM_TEDS[scheme][code]
        assert (codes(cw), cw.approximate) == (expected, approximate)

    def test_every_scheme_is_covered_both_ways(self) -> None:
        """The tables above cover every level of ASAM3, ASAM4 and GENERIC, and every TEDS
        setting; LOCUS reaches TEDS and back through the generic continuum, approximately."""
        for scheme, table in TO_TEDS.items():
            assert set(table) == set(BY_SCHEME[scheme].codes)
        for table in FROM_TEDS.values():
            assert set(table) == set(TEDS.codes)
        for level in LOCUS:
            cw = cc.crosswalk(level, to=TEDS)
            assert not cw or (cw.approximate and "generic continuum" in cw.note)
        assert codes(cc.crosswalk(TEDS["6"], to=LOCUS)) == ["3", "4"]

    def test_partial_hospitalization_says_teds_has_none(self) -> None:
        """ASAM 2.5 of either edition is TEDS intensive outpatient, and the note says TEDS has
        no partial-hospitalization setting."""
        for scheme in (ASAM3, ASAM4):
            assert "no partial-hospitalization" in cc.crosswalk(scheme["2.5"], to=TEDS).note

    def test_asam_3_7_is_not_hospital_care(self) -> None:
        """Corrections: 3.7 is not hospital care, so neither edition's 3.7 lands on the
        hospital setting 3."""
        for scheme in (ASAM3, ASAM4):
            assert TEDS["3"] not in cc.crosswalk(scheme["3.7"], to=TEDS)

    def test_opioid_treatment_is_a_flag_not_a_setting(self) -> None:
        """OTP has no TEDS setting; the note says TEDS records it apart from the setting."""
        cw = cc.crosswalk(ASAM3["OTP"], to=TEDS)
        assert not cw and "flag" in cw.note


def stay(level: cc.LevelOfCare, days: int | None = None, **kw: object) -> cc.Stay:
    return cc.Stay(level, DAY, None if days is None else DAY.add(days=days), **kw)  # type: ignore[arg-type]


def program(weeks: int | tuple[int, int]) -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(GENERIC["RESIDENTIAL"], days=["mon"], hours_per_session=3,
                                      weeks=weeks)  # fmt: skip


class TestTedsSetting:
    @pytest.mark.parametrize("level", [ASAM3["3.5"], ASAM3["3.7"], GENERIC["RESIDENTIAL"]])
    def test_residential_by_length_at_the_30_day_edge(self, level: cc.LevelOfCare) -> None:
        """30 days or fewer is short term (4), 31 days long term (5)."""
        assert cc.teds_setting(stay(level, 30)) is TEDS["4"]
        assert cc.teds_setting(stay(level, 31)) is TEDS["5"]
        assert cc.teds_setting(stay(level, 1)) is TEDS["4"]

    def test_an_ongoing_stay_by_its_programs_weeks(self) -> None:
        """While a stay goes on, its program's weeks are its planned length: 4 weeks (28
        days) short term, 5 weeks (35 days) long term; a range across 30 days decides
        nothing, and neither does a stay without a program."""
        level = ASAM3["3.5"]
        assert cc.teds_setting(stay(level, program=program(4))) is TEDS["4"]
        assert cc.teds_setting(stay(level, program=program(5))) is TEDS["5"]
        assert cc.teds_setting(stay(level, program=program((5, 8)))) is TEDS["5"]
        for undecided in (stay(level, program=program((4, 5))), stay(level)):
            with pytest.raises(cc.InvalidValueError) as info:
                cc.teds_setting(undecided)
            assert info.value.field == "stay" and "ASAM3 3.5 from 2026-01-01" in str(info.value)

    def test_the_length_of_an_ended_stay_wins_over_its_program(self) -> None:
        """A stay that ended after 40 days of a 4-week program lasted long term."""
        assert cc.teds_setting(stay(ASAM3["3.5"], 40, program=program(4))) is TEDS["5"]

    @pytest.mark.parametrize(
        ("level", "code"),
        [(ASAM3["1"], "7"), (ASAM3["2.1"], "6"), (ASAM3["2.5"], "6"), (ASAM3["2-WM"], "8"),
         (ASAM3["4"], "3"), (ASAM3["4-WM"], "1"), (GENERIC["PHP"], "6"), (TEDS["2"], "2")],
    )  # fmt: skip
    def test_one_setting_needs_no_length(self, level: cc.LevelOfCare, code: str) -> None:
        """Where the crosswalk gives one setting, that is the answer, ongoing or not."""
        assert cc.teds_setting(stay(level)) is TEDS[code]
        assert cc.teds_setting(stay(level, 45)) is TEDS[code]

    @pytest.mark.parametrize("level", [ASAM3["3.7-WM"], ASAM4["3.7"], ASAM4["4"]])
    def test_several_settings_that_length_cannot_decide_are_refused(
        self, level: cc.LevelOfCare
    ) -> None:
        """Detoxification by setting, or withdrawal management integrated: refused, naming
        the stay and the settings."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.teds_setting(stay(level, 10))
        message = str(info.value)
        assert f"{level.scheme} {level.code} from 2026-01-01" in message
        assert all(t.code in message for t in cc.crosswalk(level, to=TEDS))

    @pytest.mark.parametrize("level", [ASAM3["OTP"], GENERIC["RECOVERY"], ASAM3["0.5"]])
    def test_no_setting_is_refused(self, level: cc.LevelOfCare) -> None:
        """Opioid treatment, recovery support, early intervention: no TEDS setting."""
        with pytest.raises(cc.InvalidValueError, match="has none"):
            cc.teds_setting(stay(level, 10))

    def test_not_a_stay(self) -> None:
        """A level is not a stay."""
        with pytest.raises(cc.InvalidTypeError) as info:
            cc.teds_setting(ASAM3["2.1"])  # type: ignore[arg-type]
        assert info.value.field == "stay"


def state_continuum(**kw: object) -> cc.Continuum:
    """A state's own levels: outpatient, its own "3.7x" and a residential level."""
    rows = [
        ("OP", "Outpatient", "outpatient", False, "scheduled"),
        ("RES", "Residential", "residential", True, "24-hour"),
        ("3.7x", "Enhanced medically monitored residential", "residential", True, "24-hour"),
    ]
    levels = [
        cc.LevelOfCare(code, name, "STATE", setting, overnight=night, supervision=sup, rank=r)
        for r, (code, name, setting, night, sup) in enumerate(rows)
    ]
    return cc.Continuum("STATE", "A state's levels", levels, "the state's manual", **kw)  # type: ignore[arg-type]


MAPPING = {"OP": "OP", "RES": ("RESIDENTIAL",), "3.7x": ("RESIDENTIAL", "INPATIENT")}


class TestUserContinuum:
    def test_crosswalks_to_asam3_and_teds_through_its_mapping(self) -> None:
        """The state's 3.7x, mapped between residential and hospital care, lands where
        ASAM3 3.7 does; its residential level on TEDS 4 and 5; both approximate, through the
        generic continuum."""
        state = state_continuum(to_generic=MAPPING)
        cw = cc.crosswalk(state["3.7x"], to=ASAM3, within=state)
        assert codes(cw) == ["3.7"] and cw.approximate and "generic continuum" in cw.note
        cw = cc.crosswalk(state["RES"], to=TEDS, within=state)
        assert codes(cw) == ["4", "5"] and cw.approximate
        month = cc.Stay(state["RES"], DAY, DAY.add(days=31))
        assert cc.teds_setting(month, within=state) is TEDS["5"]

    def test_to_generic_is_as_mapped_and_back(self) -> None:
        """To GENERIC the mapping itself (one level exact, several approximate); from GENERIC
        its inverse; from other schemes through the pivot."""
        state = state_continuum(to_generic=MAPPING)
        cw = cc.crosswalk(state["OP"], to=GENERIC, within=state)
        assert codes(cw) == ["OP"] and not cw.approximate
        assert cc.crosswalk(state["3.7x"], to="GENERIC", within=state).approximate
        assert codes(cc.crosswalk(ASAM3["3.7"], to=state)) == ["3.7x"]
        assert codes(cc.crosswalk(TEDS["7"], to=state)) == ["OP"]
        cw = cc.crosswalk(GENERIC["RESIDENTIAL"], to=state)  # the exact counterpart wins
        assert codes(cw) == ["RES"] and not cw.approximate

    def test_without_a_mapping_or_within_it_is_refused(self) -> None:
        """A continuum of one's own without to_generic has no crosswalk; a level of one
        with it needs within= (a level does not know its continuum)."""
        bare = state_continuum()
        with pytest.raises(cc.InvalidValueError) as info:
            cc.crosswalk(bare["OP"], to=ASAM3, within=bare)
        assert info.value.field == "within"
        with pytest.raises(cc.InvalidValueError) as info:
            cc.crosswalk(ASAM3["1"], to=bare)
        assert info.value.field == "to.scheme"
        state = state_continuum(to_generic=MAPPING)
        with pytest.raises(cc.InvalidValueError, match="within=") as info:
            cc.crosswalk(state["OP"], to=ASAM3)
        assert info.value.field == "level.scheme"

    @pytest.mark.parametrize(
        ("mapping", "field"),
        [
            ({**MAPPING, "3.7x": ("RESIDENTAIL",)}, "to_generic['3.7x'][0]"),
            ({"OP": "OP", "RES": "RESIDENTIAL"}, "to_generic"),
            ({**MAPPING, "X": "OP"}, "to_generic"),
            ({**MAPPING, "OP": 3}, "to_generic['OP']"),
            ([("OP", "OP")], "to_generic"),
        ],
    )
    def test_a_bad_mapping_is_refused_naming_the_key(self, mapping: object, field: str) -> None:
        """Misspelt generic codes, levels left out, codes of no level, and non-mappings are
        refused when the continuum is built."""
        with pytest.raises((cc.InvalidValueError, cc.InvalidTypeError)) as info:
            state_continuum(to_generic=mapping)
        assert info.value.field == field  # type: ignore[union-attr]

    def test_a_catalog_scheme_takes_no_mapping(self) -> None:
        """The catalogs map through the library's tables."""
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Continuum("ASAM3", "x", ASAM3.levels, "x", to_generic={"1": "OP"})
        assert info.value.field == "to_generic"

    def test_aliases_are_kept_as_primary_codes(self) -> None:
        """A generic alias ("HOSPITAL") is stored as the code it names, least intensive
        first, so two spellings of one mapping make equal continua."""
        one = state_continuum(to_generic={**MAPPING, "3.7x": ("HOSPITAL", "RESIDENTIAL")})
        assert one.to_generic["3.7x"] == ("RESIDENTIAL", "INPATIENT")
        assert one == state_continuum(to_generic=MAPPING)
        assert one != state_continuum(to_generic={**MAPPING, "3.7x": "RESIDENTIAL"})

    def test_round_trips_through_plain_data_and_pickle(self) -> None:
        """to_dict writes the mapping, from_dict reads it back into an equal continuum that
        crosswalks the same; pickling keeps it too."""
        state = state_continuum(to_generic=MAPPING)
        data = cc.to_dict(state)
        assert data["to_generic"]["3.7x"] == ["RESIDENTIAL", "INPATIENT"]
        back = cc.from_dict(data)
        assert back == state and back.to_generic == state.to_generic
        assert cc.crosswalk(back["3.7x"], to=ASAM3, within=back) == cc.crosswalk(
            state["3.7x"], to=ASAM3, within=state
        )
        assert pickle.loads(pickle.dumps(state)) == state
        assert cc.from_dict(cc.to_dict(state_continuum())) == state_continuum()
