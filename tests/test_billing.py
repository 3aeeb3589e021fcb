"""Billing codes as data: `rulesets.BILLING_CODES`, `BillingCode` and `billing_codes`."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import catalogs, fhir, rulesets
from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC
from carecontinuum.rulesets import BILLING_CODES, BillingCode, BillingSystem, billing_codes

SUD, MH, CO = cc.Track.SUBSTANCE_USE, cc.Track.MENTAL_HEALTH, cc.Track.CO_OCCURRING
LEVELS = [level for continuum in catalogs.ALL.values() for level in continuum.levels]


def codes(level: cc.LevelOfCare, **kwargs: object) -> list[str]:
    return [c.code for c in billing_codes(level, **kwargs)]  # type: ignore[arg-type]


def by_code(system: BillingSystem, code: str) -> BillingCode:
    (found,) = [c for c in BILLING_CODES if c.system is system and c.code == code]
    return found


class TestBillingCodes:
    def test_every_code_is_cited_and_named_once(self) -> None:
        """Each code says what it names and where that is published; a system names a code
        once."""
        keys = [(c.system, c.code) for c in BILLING_CODES]
        assert len(keys) == len(set(keys))
        for code in BILLING_CODES:
            assert code.display and code.source.title and code.source.publisher

    def test_the_codes_the_issue_names_are_all_there(self) -> None:
        """HCPCS programs and units, Medicare's condition codes, CMHC IOP classes, bill types."""
        assert {(c.system.value, c.code) for c in BILLING_CODES} == {
            *(
                ("HCPCS", c)
                for c in ("H0015", "S9480", "H0035", "S0201", "H2036", "G0410", "G0411")
            ),
            ("condition code", "92"),
            ("condition code", "41"),
            ("APC", "5851"),
            ("APC", "5852"),
            *(("type of bill", c) for c in ("13X", "76X", "85X", "71X", "77X", "087X")),
        }

    def test_codes_are_immutable_values(self) -> None:
        """A code is frozen and hashable, so tables of codes can be shared safely."""
        code = BILLING_CODES[0]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            code.code = "H0016"  # type: ignore[misc]
        assert hash(code) == hash(attrs.evolve(code))


class TestLookup:
    @pytest.mark.parametrize(
        ("track", "program_code"), [(SUD, "H0015"), (CO, "H0015"), (MH, "S9480")]
    )
    def test_iop_is_h0015_for_substance_use_and_s9480_for_mental_health(
        self, track: cc.Track, program_code: str
    ) -> None:
        """Payers bill substance-use IOP as H0015 and mental-health IOP as S9480; group
        psychotherapy units (G0410, and G0411 for an interactive group) bill either."""
        assert codes(GENERIC["IOP"], track=track, system="HCPCS") == [
            program_code, "G0410", "G0411",
        ]  # fmt: skip

    def test_an_unknown_track_lists_every_candidate(self) -> None:
        """Without a track, the lookup gives each code that could bill the level."""
        assert codes(GENERIC["IOP"], system=BillingSystem.HCPCS) == [
            "H0015", "S9480", "G0410", "G0411",
        ]  # fmt: skip

    @pytest.mark.parametrize("level", [GENERIC["IOP"], ASAM3["2.1"], ASAM4["2.1"]])
    def test_iop_claims_carry_condition_code_92(self, level: cc.LevelOfCare) -> None:
        """MM13222: condition code 92 marks every IOP claim; 41 is PHP's."""
        assert codes(level, system="condition code") == ["92"]

    @pytest.mark.parametrize("level", [GENERIC["PHP"], ASAM3["2.5"], ASAM4["2.5"]])
    def test_php_claims_carry_condition_code_41(self, level: cc.LevelOfCare) -> None:
        """Partial hospitalization claims carry condition code 41, and no IOP class."""
        assert codes(level, system="condition code") == ["41"]
        assert codes(level, system="APC") == []

    def test_the_apcs_are_the_cmhc_iop_tiers(self) -> None:
        """5851 (3 services) and 5852 (4 or more) are the CMHC IOP per-diem classes, in the
        tiers' order, citing the contractor's page."""
        assert codes(GENERIC["IOP"], system="APC") == ["5851", "5852"]
        for code in ("5851", "5852"):
            apc = by_code(BillingSystem.APC, code)
            assert "community mental health center" in apc.display
            assert apc.source.note is not None and f"APC {code}" in apc.source.note

    def test_only_hospitals_and_cmhcs_bill_php(self) -> None:
        """IOP is billed by hospitals, CAHs, CMHCs, RHCs, FQHCs and OTPs; PHP by the first
        three."""
        iop = codes(GENERIC["IOP"], system="type of bill")
        php = codes(GENERIC["PHP"], system="type of bill")
        assert iop == ["13X", "76X", "85X", "71X", "77X", "087X"]
        assert php == ["13X", "76X", "85X"]

    def test_a_code_that_names_no_level_bills_none(self) -> None:
        """H2036 is a per-diem program code payers use for the levels their contracts name."""
        h2036 = by_code(BillingSystem.HCPCS, "H2036")
        assert h2036.levels == ()
        assert all(h2036 not in billing_codes(level) for level in LEVELS)

    @given(st.sampled_from(LEVELS), st.one_of(st.none(), st.sampled_from(list(cc.Track))))
    def test_the_lookup_is_the_codes_that_bill_the_level(
        self, level: cc.LevelOfCare, track: cc.Track | None
    ) -> None:
        """billing_codes(level, track) is exactly the codes whose `bills` says so, in order;
        knowing the track only narrows the list."""
        found = billing_codes(level, track=track)
        assert found == tuple(c for c in BILLING_CODES if c.bills(level, track))
        assert set(found) <= set(billing_codes(level))

    @pytest.mark.parametrize(
        ("kwargs", "exception", "field"),
        [
            ({"level": "IOP"}, cc.InvalidTypeError, "level"),
            ({"level": GENERIC["IOP"], "track": "gambling"}, cc.InvalidValueError, "track"),
            ({"level": GENERIC["IOP"], "system": "CPT"}, cc.InvalidValueError, "system"),
        ],
    )
    def test_bad_arguments_are_refused_by_name(
        self, kwargs: dict[str, object], exception: type[Exception], field: str
    ) -> None:
        """The argument the caller wrote is named."""
        with pytest.raises(exception) as info:
            billing_codes(**kwargs)  # type: ignore[arg-type]
        assert f"'{field}'" in str(info.value)


class TestBillingCodeFields:
    @pytest.mark.parametrize(
        ("kwargs", "exception", "field"),
        [
            ({"system": "CPT"}, cc.InvalidValueError, "system"),
            ({"code": ""}, cc.InvalidValueError, "code"),
            ({"source": "CMS"}, cc.InvalidTypeError, "source"),
            ({"levels": ["IOP"]}, cc.InvalidTypeError, "levels[0]"),
            ({"tracks": ["gambling"]}, cc.InvalidValueError, "tracks"),
        ],
    )
    def test_malformed_fields_are_refused_by_name(
        self, kwargs: dict[str, object], exception: type[Exception], field: str
    ) -> None:
        """A user's own code is checked as the built-in ones are."""
        fields: dict[str, object] = {
            "system": "HCPCS",
            "code": "H0015",
            "display": "Intensive outpatient",
            "source": cc.Source("HCPCS"),
            **kwargs,
        }
        with pytest.raises(exception) as info:
            BillingCode(
                fields.pop("system"),  # type: ignore[arg-type]
                fields.pop("code"),  # type: ignore[arg-type]
                fields.pop("display"),  # type: ignore[arg-type]
                **fields,  # type: ignore[arg-type]
            )
        assert str(info.value).startswith(f"'{field}")


class TestFhirReadsTheData:
    def test_hcpcs_displays_come_from_the_data(self) -> None:
        """FHIR writes each HCPCS code with the display the billing-code data gives it."""
        for code in ("H0015", "S9480", "G0410"):
            coding = fhir._hcpcs_coding(code)
            assert coding["display"] == by_code(BillingSystem.HCPCS, code).display

    def test_fhir_writes_only_codes_that_bill_the_level(self) -> None:
        """Each HCPCS code FHIR puts on a level is one the data says bills that level for the
        track. (On ASAM's levels FHIR writes H0015 whatever the track, since ASAM's levels are
        addiction treatment; the mental-health track is left out there.)"""
        for (scheme, level_code), by_track in fhir._HCPCS_BY_LEVEL.items():
            level = catalogs.ALL[scheme][level_code]
            for track, code in by_track.items():
                if scheme != "GENERIC" and track is MH:
                    continue
                assert code in codes(level, track=track, system="HCPCS")

    def test_group_therapy_levels_are_g0410s(self) -> None:
        """Group therapy is coded G0410 exactly at the levels the data says G0410 bills."""
        g0410 = by_code(BillingSystem.HCPCS, "G0410")
        assert fhir._group_levels() == {(lv.scheme, lv.code) for lv in g0410.levels}
        assert rulesets.billing_codes(GENERIC["OP"]) == ()
