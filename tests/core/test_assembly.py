"""``modelverse_core.assembly``: a model is assembled only when laid out as expected, and equals the validated one."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from modelverse_core.assembly import Layout, assemblable, assembled, laid_out


class Reply(BaseModel):
    text: str
    extra: dict[str, Any] = Field(default_factory=dict)
    raw: Any = None


REPLY: Layout = {"text": ..., "extra": dict, "raw": None}


def test_a_model_laid_out_as_given_is_assembled_as_validation_builds_it() -> None:
    assert assemblable({Reply: REPLY}, {})
    built = assembled(Reply, {"text": "hi", "extra": {"a": 1}, "raw": None}, {"text", "extra"})
    validated = Reply(text="hi", extra={"a": 1})
    assert built == validated
    assert list(built.__dict__) == list(validated.__dict__)
    assert built.model_fields_set == validated.model_fields_set
    assert (built.__pydantic_extra__, built.__pydantic_private__) == (None, None)
    assert built.model_dump_json() == validated.model_dump_json()


class WithValidator(Reply):
    @field_validator("text")
    @classmethod
    def upper(cls, value: str) -> str:
        return value.upper()


class WithModelValidator(Reply):
    @model_validator(mode="after")
    def check(self) -> WithModelValidator:
        return self


class WithPrivate(Reply):
    _cache: int = PrivateAttr(default=0)


class AllowingExtra(Reply):
    model_config = ConfigDict(extra="allow")


class WithNew(Reply):
    def __new__(cls, *args: Any, **kwargs: Any) -> WithNew:
        return super().__new__(cls)


@pytest.mark.parametrize(
    ("model", "layout"),
    [
        (Reply, {"text": ..., "extra": dict}),  # a field more than known
        (Reply, {"text": ..., "extra": dict, "raw": None, "more": None}),  # a field less
        (Reply, {"extra": dict, "text": ..., "raw": None}),  # another order
        (Reply, {"text": "", "extra": dict, "raw": None}),  # a default where the field is required
        (Reply, {"text": ..., "extra": list, "raw": None}),  # another default factory
        (Reply, {"text": ..., "extra": dict, "raw": 0}),  # another default
        (WithValidator, REPLY),
        (WithModelValidator, REPLY),
        (WithPrivate, REPLY),
        (AllowingExtra, REPLY),
        (WithNew, REPLY),
    ],
    ids=[
        "unknown field",
        "missing field",
        "order",
        "required",
        "factory",
        "default",
        "field validator",
        "model validator",
        "private attribute",
        "extra allowed",
        "own __new__",
    ],
)
def test_a_model_laid_out_otherwise_is_not_assembled(model: type[BaseModel], layout: Layout) -> None:
    assert not assemblable({Reply: REPLY, model: layout}, {})


def test_a_model_validator_known_to_leave_values_alone_is_allowed_by_name() -> None:
    assert laid_out(WithModelValidator, REPLY, {"check"})
    assert assemblable({WithModelValidator: REPLY}, {WithModelValidator: {"check"}})
    assert not assemblable({WithModelValidator: REPLY}, {WithModelValidator: {"another"}})
