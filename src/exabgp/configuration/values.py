"""Parsers for the scalar values of the grammar: booleans, numbers, ASNs, addresses, names.

Each takes a `Cursor` positioned on the value (or the word itself) and returns a plain Python value,
or raises `ConfigError` at the offending word. The accepted spellings and the limits are 5.0's.
"""

from ipaddress import IPv4Address, IPv6Address, ip_address
from string import ascii_letters, digits

from exabgp.configuration.cursor import Cursor

TRUE = ('true', 'enable', 'enabled')
FALSE = ('false', 'disable', 'disabled')
ASN_MAX = 0xFFFFFFFF
NAME_CHARACTERS = frozenset(ascii_letters + digits + '.-_')
HOST_CHARACTERS = frozenset(ascii_letters + digits + '.-')

IP = IPv4Address | IPv6Address


def boolean(cursor: Cursor, bare: bool) -> bool:
    """`true|enable|enabled` or `false|disable|disabled`; the keyword alone means `bare`."""
    word = cursor.next().lower()
    if not word:
        return bare
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise cursor.fail(f"'{word}' is not a boolean (true, enable, enabled, false, disable, disabled)")


def auto_boolean(cursor: Cursor, bare: bool) -> bool | None:
    """A boolean or `auto` (None)."""
    if cursor.peek().lower() == 'auto':
        cursor.next()
        return None
    return boolean(cursor, bare)


def integer(cursor: Cursor, what: str, low: int, high: int) -> int:
    word = cursor.expect(what)
    if not word.isdigit() or not word.isascii():
        raise cursor.fail(f"'{word}' is an invalid {what}, expecting a number from {low} to {high}")
    value = int(word)
    if not low <= value <= high:
        raise cursor.fail(f"'{word}' is an invalid {what}, expecting a number from {low} to {high}")
    return value


def asn_text(text: str) -> int:
    """'65000' or asdot '1.10'; ValueError with 5.0's explanation otherwise."""
    if '.' in text:
        parts = text.split('.')
        if len(parts) != 2:
            raise ValueError(f"'{text}' is an invalid ASN, expecting <high>.<low> (for example 1.1)")
        high, low = parts
        if not (high.isdigit() and low.isdigit() and high.isascii() and low.isascii()):
            raise ValueError(f"'{text}' is an invalid ASN, each part must be a decimal number")
        if int(high) > 0xFFFF or int(low) > 0xFFFF:
            raise ValueError(f"'{text}' is an invalid ASN, each part must be 0 to 65535")
        return (int(high) << 16) + int(low)
    if not text.isdigit() or not text.isascii():
        raise ValueError(f"'{text}' is an invalid ASN, expecting a number or <high>.<low>")
    value = int(text)
    if value > ASN_MAX:
        raise ValueError(f"'{text}' is an invalid ASN, must be 0 to {ASN_MAX}")
    return value


def asn(cursor: Cursor, what: str = 'ASN') -> int:
    word = cursor.expect(what)
    try:
        return asn_text(word)
    except ValueError as exc:
        raise cursor.fail(str(exc)) from None


def auto_asn(cursor: Cursor, what: str) -> int | None:
    """An ASN or `auto` (None: learnt from the peer's OPEN)."""
    if cursor.peek().lower() == 'auto':
        cursor.next()
        return None
    return asn(cursor, what)


def ip_text(text: str) -> IP:
    """An IPv4 or IPv6 address (no scope, no prefix); ValueError otherwise."""
    if '%' in text or '/' in text:
        raise ValueError(text)
    return ip_address(text)


def ip(cursor: Cursor, what: str = 'IP address') -> IP:
    word = cursor.expect(what)
    try:
        return ip_text(word)
    except ValueError:
        raise cursor.fail(f"'{word}' is an invalid {what}") from None


def ipv4(cursor: Cursor, what: str) -> IPv4Address:
    word = cursor.expect(what)
    try:
        value = ip_text(word)
    except ValueError:
        value = None
    if not isinstance(value, IPv4Address):
        raise cursor.fail(f"'{word}' is an invalid {what}, expecting an IPv4 address")
    return value


def name(cursor: Cursor, what: str) -> str:
    """A section name: letters, digits, '.', '-' and '_'."""
    word = cursor.expect(f'{what} name')
    if not word or any(char not in NAME_CHARACTERS for char in word):
        raise cursor.fail(f"'{word}' is an invalid {what} name (letters, digits, '.', '-' and '_' only)")
    return word


def host_name(cursor: Cursor, what: str) -> str:
    word = cursor.next()
    if not word:
        raise cursor.fail_here(f'missing {what}')
    problem = ''
    if not word[0].isalnum() or not word[-1].isalnum():
        problem = 'it must start and end with a letter or a digit'
    elif '..' in word:
        problem = 'it has two periods in a row'
    elif any(char not in HOST_CHARACTERS for char in word):
        problem = "only letters, digits, '.' and '-' are allowed"
    elif len(word) > 255:
        problem = 'it is longer than 255 characters'
    if problem:
        raise cursor.fail(f"'{word}' is an invalid {what}: {problem}")
    return word
