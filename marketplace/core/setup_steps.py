"""A new seller's first steps ("My shop" checklist): each domain registers the steps it owns.

The storefront and products live in catalog, the province and delivery rates in orders; neither
imports the other, so each registers its steps here and the "My shop" page asks for them all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import url_for
from flask_babel import LazyString


@dataclass(frozen=True)
class SetupStep:
    key: str
    label: LazyString
    endpoint: str            # where the step is done
    position: int
    is_done: Callable[[int], bool]  # the seller's user id -> done?


@dataclass(frozen=True)
class StepState:
    key: str
    label: LazyString
    url: str
    done: bool


_STEPS: list[SetupStep] = []


def register_step(key: str, label: LazyString, endpoint: str, position: int,
                  is_done: Callable[[int], bool]) -> None:
    """Called at import time of a domain's views module."""
    if not any(step.key == key for step in _STEPS):
        _STEPS.append(SetupStep(key, label, endpoint, position, is_done))


def steps_for(user_id: int) -> list[StepState]:
    """Every registered step, in order, with whether this seller has done it."""
    return [StepState(step.key, step.label, url_for(step.endpoint), step.is_done(user_id))
            for step in sorted(_STEPS, key=lambda s: s.position)]
