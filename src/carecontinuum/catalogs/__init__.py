"""The published schemes' levels of care, each as a `Continuum` citing its source.

- `GENERIC`: the common continuum of program descriptions (RECOVERY, OP, IOP, PHP,
  RESIDENTIAL, DETOX, INPATIENT).
- `ASAM3`: ASAM Criteria 3rd edition (2013), with its withdrawal-management chain and OTP.
- `ASAM4`: ASAM Criteria 4th edition (2023, adults).
- `LOCUS`: LOCUS Adult Version 20 (levels 0-6).
- `TEDS`: SAMHSA's Treatment Episode Data Set service settings (codes 1-8), the scheme state-
  funded programs report admissions and discharges in.

>>> from carecontinuum.catalogs import ASAM3
>>> ASAM3["2.1"].name
'Intensive Outpatient Services'
"""

from .asam3 import ASAM3
from .asam4 import ASAM4
from .generic import GENERIC
from .locus import LOCUS
from .teds import TEDS

__all__ = ["ASAM3", "ASAM4", "GENERIC", "LOCUS", "TEDS", "ALL"]

#: Every catalog continuum, keyed by scheme.
ALL = {c.scheme: c for c in (GENERIC, ASAM3, ASAM4, LOCUS, TEDS)}
