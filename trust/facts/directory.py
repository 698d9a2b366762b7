"""Who is who: owner columns hold an employee ID or a name; people are shown by name and team."""

from __future__ import annotations

from dataclasses import dataclass, field

from trust.facts.people import Person


@dataclass(frozen=True)
class Directory:
    """The staff table as a lookup from an owner value (an employee ID or a name) to a person."""

    people: tuple[Person, ...] = ()
    _index: dict[str, Person] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[str, Person] = {}
        for person in self.people:  # names first, so an employee ID always wins over a name
            if person.name:
                index.setdefault(person.name.strip().lower(), person)
        for person in self.people:
            index[person.employee_id.strip().lower()] = person
        object.__setattr__(self, "_index", index)

    def person(self, owner: str | None) -> Person | None:
        if owner is None or not owner.strip():
            return None
        return self._index.get(owner.strip().lower())

    def display(self, owner: str | None) -> str | None:
        """How an owner value is shown: the person's name and team when staff knows them, else as given."""
        if owner is None or not owner.strip():
            return owner
        found = self.person(owner)
        return found.label if found else owner.strip()
