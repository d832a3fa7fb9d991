"""Direct stores into the slots of a frozen dataclass, for the decoders' hot paths.

A frozen dataclass's `__init__` checks and assigns each field through `object.__setattr__`; building
a value from fields a decoder has already validated costs three times less through the slot's own
descriptor. `slot_store(cls, name)` is that descriptor's setter, looked up once at import time.

Invariant: only values whose every field is stored this way before the value is shared are built
like this; the result is as frozen as one made by `__init__`.
"""

import types
from collections.abc import Callable


def slot_store(cls: type, name: str) -> Callable[[object, object], None]:
    """The setter of the slot `name` of `cls` (a dataclass with `slots=True`)."""
    descriptor = cls.__dict__[name]
    if not isinstance(descriptor, types.MemberDescriptorType):
        raise TypeError(f'{cls.__name__}.{name} is not a slot')
    return descriptor.__set__
