"""The closed-question script (trame de questions fermées) the operator follows to
qualify an alert: each question, its allowed answers, and the answers that indicate
danger. Loaded from YAML (``alert/qualification.yaml`` or ``ALERT_QUALIFICATION_SCRIPT``)."""

from __future__ import annotations

from dataclasses import dataclass

from alert.exceptions import UnknownQuestion


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[str, ...]
    danger_if: tuple[str, ...]


@dataclass(frozen=True)
class Script:
    """The closed-question script (trame de questions fermées)."""

    questions: tuple[Question, ...]

    @classmethod
    def from_mapping(cls, raw: dict) -> Script:
        questions = tuple(
            Question(
                id=str(q["id"]),
                text=str(q["text"]),
                answers=tuple(str(a) for a in q["answers"]),
                danger_if=tuple(str(a) for a in q.get("danger_if", ())),
            )
            for q in raw["questions"]
        )
        if not questions or len({q.id for q in questions}) != len(questions):
            raise ValueError("a script needs questions with distinct ids")
        for q in questions:
            if not set(q.danger_if) <= set(q.answers):
                raise ValueError(f"question {q.id}: danger_if must be among its answers")
        return cls(questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise UnknownQuestion(f"No question {question_id!r} in the script.")
