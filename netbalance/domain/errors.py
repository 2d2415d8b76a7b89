"""The one error type the domain raises for invalid values."""


class DomainError(ValueError):
    """An invalid value for a field of a domain object.

    The message names the field and the value, so the CLI and the forms can
    show it next to the right place without guessing.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")
