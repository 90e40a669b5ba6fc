"""Debtors and where to reach them.

A :class:`Debtor` is an immutable value: name parts, date of birth, SSN (masked as
``***-**-1234`` in ``ssn``, ``repr`` and every error message; ``reveal_ssn()`` gives the digits),
preferred language, contact points and the flags the compliance rules read (deceased,
bankruptcy, attorney, active-duty military, cease communication per debt, medium opt-outs,
inconvenient times). ``replace(**changes)`` and ``with_contact_point(cp)`` give changed copies::

    >>> from arrears.debtor import Debtor, Address, Phone
    >>> d = Debtor("D1", "Ana", "Lopez", ssn="123-45-6789",
    ...            addresses=[Address("1 Main St", "Pensacola", "FL", "32501")],
    ...            phones=[Phone("(212) 555-0100")])
    >>> d
    Debtor(id='D1', name='Ana Lopez', ssn='***-**-6789', addresses=1, phones=1, emails=0)
    >>> d.possible_time_zones()       # the address and the phone disagree: both count
    ['America/Chicago', 'America/New_York']

The time-zone tables are data written from working knowledge and need review
(``time_zone_tables()`` exports them; docs/ledger.md explains the rules).
"""

from __future__ import annotations

from arrears._core.debtor import (
    Address,
    AttorneyRepresentation,
    Bankruptcy,
    CeaseCommunication,
    ConsentRecord,
    Debtor,
    Deceased,
    Email,
    InconvenientTime,
    MediumOptOut,
    MilitaryService,
    Phone,
    possible_time_zones,
    time_zone_tables,
    time_zones_for_address,
    time_zones_for_area_code,
)

__all__ = [
    "Address",
    "AttorneyRepresentation",
    "Bankruptcy",
    "CeaseCommunication",
    "ConsentRecord",
    "Debtor",
    "Deceased",
    "Email",
    "InconvenientTime",
    "MediumOptOut",
    "MilitaryService",
    "Phone",
    "possible_time_zones",
    "time_zone_tables",
    "time_zones_for_address",
    "time_zones_for_area_code",
]
