"""Pydantic models built without validation, for the objects a plugin builds on every streamed chunk.

A stream builds its framework's response objects for every chunk, and pydantic's validation
is most of what that costs. When every value given already has its field's type and is a new
object (lists and dicts included) or an immutable one, validating it would give the same
model: :func:`assembled` builds it directly (the field values in field order, the fields set
as the keyword arguments given), as ``model_construct`` does, without its per-field loop.

A plugin does so only when :func:`assemblable` finds the framework's models laid out as it
expects (exactly the fields it knows, with their defaults, no validator that could change a
value, instances made as ``object`` makes them); otherwise it validates them as usual. This
module imports pydantic only, never a framework.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

Layout = Mapping[str, object]
"""A model's fields in order, each with its default: a value, ``dict`` or ``list`` for a default
factory, or ``...`` for a required field."""

# What ``model_construct`` sets on a new model, each set through its descriptor (the slots of ``BaseModel``),
# as ``object.__setattr__`` would after looking it up on the class.
_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
_DESCRIPTORS: list[Any] = [getattr(BaseModel.__dict__.get(name), "__set__", None) for name in _SLOTS]
_new: Any = object.__new__
_Model = TypeVar("_Model", bound=BaseModel)


def assemblable(layouts: Mapping[type[BaseModel], Layout], model_validators: Mapping[type, Collection[str]]) -> bool:
    """Whether every model of ``layouts`` can be assembled: laid out so, and made as ``object`` makes instances.

    ``model_validators`` names, per model, the model validators it is known to have that leave
    the values given alone; any other validator makes it unassemblable.
    """
    return None not in _DESCRIPTORS and all(
        laid_out(cls, layout, model_validators.get(cls, ())) and _plain_instances(cls)
        for cls, layout in layouts.items()
    )


def laid_out(cls: type[BaseModel], layout: Layout, model_validators: Collection[str] = ()) -> bool:
    """Whether ``cls`` has exactly the fields of ``layout``, with its defaults, and no other validator."""
    fields = cls.model_fields
    if list(fields) != list(layout) or cls.__private_attributes__ or cls.__pydantic_post_init__:
        return False
    if cls.model_config.get("extra") not in (None, "ignore") or cls.__pydantic_root_model__:
        return False
    validators = cls.__pydantic_decorators__
    if validators.field_validators or validators.root_validators or validators.validators:
        return False
    if set(validators.model_validators) != set(model_validators):
        return False
    return all(_default_is(fields[name], expected) for name, expected in layout.items())


def _default_is(field: Any, expected: object) -> bool:
    if expected is ...:
        return bool(field.is_required())
    if expected in (dict, list):
        return field.default_factory is expected
    return field.default_factory is None and field.default == expected


def _plain_instances(cls: type[Any]) -> bool:
    """Whether ``cls`` makes its instances as ``object`` does and keeps ``_SLOTS`` where ``BaseModel`` does."""
    found = {name: next((k.__dict__[name] for k in cls.__mro__ if name in k.__dict__), None) for name in _SLOTS}
    return cls.__new__ is _new and all(found[name] is BaseModel.__dict__.get(name) for name in _SLOTS)


_set_dict, _set_fields_set, _set_extra, _set_private = _DESCRIPTORS


def assembled(cls: type[_Model], values: dict[str, Any], given: set[str]) -> _Model:
    """``cls`` holding ``values`` (every field, in field order), ``given`` its fields set; nothing is validated."""
    model: _Model = _new(cls)
    _set_dict(model, values)
    _set_fields_set(model, given)
    _set_extra(model, None)
    _set_private(model, None)
    return model
