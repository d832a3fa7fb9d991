"""Failure reports: what the daemon sent against what the case expected, both decoded.

For a mismatch the report shows the received message, every message the open group still
accepts, and a line diff of the decoded forms against the closest of them (the one sharing the
longest hex prefix, ties broken by similarity), with the first differing octet pointed out. The
diff is of the codec's readings; when those are the same (the difference escapes the codec) it is
of the built-in wire dumps.

Invariants: pure functions returning lines of text; never raise.
"""

import difflib

from qakit.case import RAW, Group, Step
from qakit.checker import Mismatch
from qakit.dump import Context, builtin, describe, hexdump


def _common_prefix(left: bytes, right: bytes) -> int:
    size = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        size += 1
    return size


def closest(received: bytes, candidates: tuple[Step, ...]) -> Step | None:
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda step: (
            _common_prefix(received, step.wire),
            difflib.SequenceMatcher(None, received.hex(), step.payload.lower()).ratio(),
        ),
    )


def block(title: str, message: bytes, context: Context) -> list[str]:
    return [title, f'    {hexdump(message)}', *(f'    {line}' for line in describe(message, context))]


def mismatch(found: Mismatch, context: Context, remaining: tuple[Group, ...] = ()) -> list[str]:
    lines = [f'unexpected message while waiting for group {found.group or "(none: every group is done)"}', '']
    lines.extend(block('received:', found.received, context))
    if not found.candidates:
        lines.append('')
        lines.append('the open group expects no message here (it waits for nothing, or the case is complete)')
    for index, step in enumerate(found.candidates, 1):
        lines.append('')
        lines.extend(block(f'expected option {index} (line {step.line}):', step.wire, context))
    best = closest(found.received, found.candidates)
    if best is not None:
        expected = best.wire
        offset = _common_prefix(found.received, expected)
        lines.append('')
        lines.append(f'closest expectation: line {best.line}; first difference at octet {offset}')
        left, right = describe(expected, context), describe(found.received, context)
        if left == right:  # the codec reads both the same: compare the wire-level dumps instead
            left, right = builtin(expected, context), builtin(found.received, context)
        diff = difflib.unified_diff(
            left,
            right,
            fromfile=f'expected (line {best.line})',
            tofile='received',
            lineterm='',
        )
        lines.extend(f'    {line}' for line in diff)
    if remaining:
        lines.append('')
        lines.append('groups not reached yet: ' + ' '.join(group.label for group in remaining))
    return lines


def unfinished(group: str, pending: tuple[Step, ...], remaining: tuple[Group, ...], context: Context) -> list[str]:
    """What the peer was still waiting for when the session or the daemon went away."""
    lines = [f'still waiting in group {group or "(none)"} for:']
    for step in pending:
        if step.kind == RAW:
            lines.extend(block(f'  line {step.line}:', step.wire, context))
        else:
            lines.append(f'  line {step.line}: {step.kind} {step.payload}')
    if remaining:
        lines.append('groups not reached yet: ' + ' '.join(group.label for group in remaining))
    return lines
