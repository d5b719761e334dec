"""GitHub suggestion blocks: a mechanical fix as a replacement of the changed lines it touches."""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

from tools.review.models import ReviewFinding, Suggestion

MAX_SUGGESTIONS = 40


def add_suggestions(tree: Path, findings: list[ReviewFinding], changed: dict[str, set[int]]) -> None:
    """Give new findings on changed lines of plain manifests a suggestion, when the fix is one local edit.

    A fix that rewrites lines outside the change, or edits in two places, gets none: GitHub
    can only suggest over lines of the diff, and one block per comment.
    """
    from tools.k8s.fixes import fixable

    made = 0
    for review_finding in findings:
        if made >= MAX_SUGGESTIONS:
            return
        path = review_finding.path
        if not (review_finding.status == "new" and review_finding.on_changed_line and path):
            continue
        if not fixable(review_finding.finding) or not path.endswith((".yaml", ".yml")):
            continue
        suggestion = _suggestion(tree / path, review_finding, changed.get(path, set()))
        if suggestion is not None:
            review_finding.suggestion = suggestion
            made += 1


def _suggestion(path: Path, review_finding: ReviewFinding, changed: set[int]) -> Suggestion | None:
    from tools.k8s.fixes import PIN_PLACEHOLDER, fix_text

    try:
        text = path.read_text(encoding="utf-8")
        new_text, applied = fix_text(text, [review_finding.finding])
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not applied:
        return None
    old_lines, new_lines = text.splitlines(keepends=True), new_text.splitlines(keepends=True)
    edits = [
        op
        for op in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if len(edits) != 1:
        return None
    tag, old_start, old_end, new_start, new_end = edits[0]
    added = "".join(new_lines[new_start:new_end])
    if tag == "insert":
        if old_start == 0:
            return None
        start = end = old_start  # the line before the insertion carries the suggestion
        anchor = old_lines[old_start - 1]
        replacement = (anchor if anchor.endswith("\n") else anchor + "\n") + added
    else:
        start, end, replacement = old_start + 1, old_end, added
    if not all(line in changed for line in range(start, end + 1)):
        return None
    if PIN_PLACEHOLDER in replacement:
        return None  # one click would commit the placeholder: the finding's fix text says what to do
    if replacement and not replacement.endswith("\n"):
        replacement += "\n"
    return Suggestion(start_line=start, end_line=end, replacement=replacement)
