"""Crosswalks between schemes, against the correspondences the domain notes state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC, LOCUS
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

    def test_detox_maps_to_the_24_hour_withdrawal_management_levels(self) -> None:
        """Detox is ASAM 3rd edition's residential and inpatient WM levels (the ambulatory
        ones only approximate it, so the exact ones win); LOCUS has none."""
        cw = cc.crosswalk(GENERIC["DETOX"], to=ASAM3)
        assert codes(cw) == ["3.2-WM", "3.7-WM", "4-WM"] and not cw.approximate
        assert codes(cc.crosswalk(ASAM3["1-WM"], to=GENERIC)) == ["DETOX"]
        assert codes(cc.crosswalk(GENERIC["DETOX"], to=LOCUS)) == []

    def test_exact_matches_win_over_approximate_ones(self) -> None:
        """IOP is 4th-edition 2.1 only, although 2.7 is roughly an IOP too."""
        cw = cc.crosswalk(GENERIC["IOP"], to=ASAM4)
        assert codes(cw) == ["2.1"] and not cw.approximate
        assert codes(cc.crosswalk(ASAM4["2.7"], to=GENERIC)) == ["IOP"]


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

    @pytest.mark.parametrize(("level", "to"), [("IOP", ASAM3), (GENERIC["IOP"], "ASAM3")])
    def test_wrong_types_are_refused(self, level: object, to: object) -> None:
        """Strings are not levels or continua."""
        with pytest.raises(cc.InvalidTypeError):
            cc.crosswalk(level, to=to)  # type: ignore[arg-type]


BY_SCHEME = {c.scheme: c for c in (GENERIC, ASAM3, ASAM4, LOCUS)}


@given(levels, continua)
def test_crosswalk_targets_map_back_to_the_source(level: cc.LevelOfCare, to: cc.Continuum) -> None:
    """Every level a crosswalk names is of the target scheme, in intensity order, and (where a
    table links the two schemes directly and the mapping is exact) lists the source in its own
    crosswalk back; mappings through the generic pivot are always flagged approximate."""
    cw = cc.crosswalk(level, to=to)
    assert all(target.scheme == to.scheme for target in cw)
    assert list(cw.levels) == sorted(cw.levels)
    schemes = {level.scheme, to.scheme}
    linked = len(schemes) == 1 or schemes == {"ASAM3", "ASAM4"} or "GENERIC" in schemes
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
