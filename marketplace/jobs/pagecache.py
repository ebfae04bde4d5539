"""The guest cache of the public job pages (the listing with its searches and filters, and each vacancy),
built on ``core.pagecache``: any ORM change to a vacancy or a firm changes the token in ``jobs_state`` in
the same transaction, and the key holds Jakarta's date, as a vacancy leaves the public pages the day after
it closes. ``JOBS_CACHE_SECONDS`` (default 60; 0 turns it off) bounds how long a change made with plain
SQL takes to show.
"""
from __future__ import annotations

from marketplace.core.pagecache import PageCache
from marketplace.jobs.models import Firm, JobsState, Vacancy

PAGES = PageCache(JobsState, (Vacancy, Firm), "JOBS_CACHE_SECONDS")
