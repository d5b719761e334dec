"""The proposal dialog: one change, its diff or argv, its validation, and the human's decision.

A file edit shows its unified diff (highlighted, scrollable) and what the validators make
of the proposed text; a command shows its argv as a list and the allowlist's verdict.
Validation runs in a thread worker, so the dialog opens at once. The human approves (a),
rejects (r, Esc), or edits the new text first, inline (e, then ctrl+s) or in `$VISUAL` /
`$EDITOR` (ctrl+e): the edited text becomes a new proposal for the same file, shown and
validated again before it can be approved. Commands cannot be edited.

Everything shown comes from outside (a model, a log, a file): it is rendered as plain
text, never as markup, and control characters are made visible.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

if TYPE_CHECKING:
    from tools.proposals import FileEdit, Proposal
    from tools.validation.report import ValidationReport

CheckStatus = Literal["valid", "problems", "not_validated", "error"]

COMPOSE_NAME = re.compile(r"^(docker-)?compose(\.[\w.-]+)?\.ya?ml$")
MAX_SHOWN_LINES = 30
MAX_SIBLING_BYTES = 2_000_000
_LANGUAGES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".toml": "toml",
    ".py": "python",
    ".sh": "bash",
    ".md": "markdown",
    ".go": "go",
    ".rs": "rust",
    ".js": "javascript",
    ".html": "html",
    ".css": "css",
    ".sql": "sql",
    ".xml": "xml",
    ".java": "java",
}
# C0 and C1 controls (but newline and tab), DEL, and the bidirectional overrides of "Trojan Source".
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Decision:
    """The human's answer: approved or not, and the revised proposal when the text was edited."""

    approved: bool
    revised: Proposal | None = None

    def answer(self) -> bool | Proposal:
        """What an `Approver.decide` returns: False, True, or the revised proposal to apply instead."""
        if self.approved and self.revised is not None:
            return self.revised
        return self.approved


@dataclass(frozen=True)
class Checked:
    """What validation made of a proposal: a status, one headline and the lines that explain it."""

    status: CheckStatus
    headline: str
    lines: tuple[str, ...] = ()

    def renderable(self) -> Text:
        """Plain text (validation messages quote the content: never markup), the headline styled."""
        style = {"valid": "bold green", "problems": "bold red"}.get(self.status, "bold yellow")
        text = Text()
        text.append(visible(self.headline), style=style)
        for line in self.lines[:MAX_SHOWN_LINES]:
            text.append("\n" + visible(line))
        if len(self.lines) > MAX_SHOWN_LINES:
            text.append(f"\n... and {len(self.lines) - MAX_SHOWN_LINES} more", style="dim")
        return text


class EditorError(Exception):
    """The external editor could not be started or did not finish cleanly."""


def visible(text: str) -> str:
    """`text` with control characters and bidirectional overrides shown as escapes (`\\x1b`)."""
    return _INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def content_kind(path: str) -> Literal["kubernetes", "terraform", "compose", "kustomization", "other"]:
    """Which validator reads a file, by its name: Compose files, `.tf`, other YAML as Kubernetes."""
    name = PurePosixPath(path).name
    if COMPOSE_NAME.match(name):
        return "compose"
    if name in ("kustomization.yaml", "kustomization.yml"):
        return "kustomization"
    if name.endswith((".yaml", ".yml")):
        return "kubernetes"
    if name.endswith(".tf"):
        return "terraform"
    return "other"


def check_proposal(proposal: Proposal, root: Path | None = None) -> Checked:
    """Validate what a proposal would do: the allowlist for a command, the validators for a file's new text.

    Slow (schemas, HCL): call it from a worker thread. `root` lets a `.tf` file be validated
    with the other `.tf` files of its folder. Never raises: a validator's failure is a result.
    """
    try:
        if proposal.edit is None:
            return _check_command(list(proposal.argv or []))
        return _check_edit(proposal.edit, root)
    except Exception as err:  # a validator's crash must not close the dialog
        return Checked("error", f"could not validate: {type(err).__name__}: {err}")


def _check_command(argv: list[str]) -> Checked:
    from tools.commands import check_command

    verdict = check_command(argv)
    if verdict.allowed:
        return Checked("valid", "allowlist: allowed", (verdict.reason,) if verdict.reason else ())
    return Checked("problems", "allowlist: refused (it will not run)", (verdict.reason,))


def _check_edit(edit: FileEdit, root: Path | None) -> Checked:
    kind = content_kind(edit.path)
    if kind == "kubernetes":
        return _check_kubernetes(edit.new_text, edit.path)
    if kind == "terraform":
        return summarize(_terraform_report(edit, root))
    if kind == "compose":
        from tools.compose.validate import validate_compose_text

        return summarize(validate_compose_text(edit.new_text, label=edit.path))
    if kind == "kustomization":
        return Checked("not_validated", "not validated (a kustomization file)")
    return Checked("not_validated", f"not validated (no validator for {PurePosixPath(edit.path).name})")


def _check_kubernetes(text: str, label: str) -> Checked:
    """Kubernetes schemas and policies; YAML that names no kind or apiVersion is only parsed."""
    from tools.k8s.yaml_stream import YamlProblem, documents

    try:
        parsed = list(documents(text))
    except YamlProblem:
        parsed = None  # the validator reports the parse error with its line
    if parsed is not None and not any(
        isinstance(d.value, dict) and ("kind" in d.value or "apiVersion" in d.value) for d in parsed
    ):
        duplicates = [
            f"{label}:{line}: duplicate key {'.'.join(map(str, path))}"
            for d in parsed
            for path, line in d.duplicates
        ]
        if duplicates:
            return Checked("problems", "YAML with duplicate keys", tuple(duplicates))
        return Checked(
            "not_validated", "YAML reads cleanly; no kind or apiVersion, so not validated as Kubernetes"
        )
    from tools.blueprints.registry import bundled_crds
    from tools.k8s.validate import validate_k8s_text

    return summarize(validate_k8s_text(text, label=label, crds=bundled_crds()))


def _terraform_report(edit: FileEdit, root: Path | None) -> ValidationReport:
    """The proposed `.tf` with the other `.tf` files of its folder, in a scratch folder, without terraform."""
    from tools.proposals import confined
    from tools.terraform.validate import validate_terraform
    from tools.validation.report import ValidationReport

    relative = PurePosixPath(edit.path)
    with tempfile.TemporaryDirectory(prefix="shipmate-proposal-") as scratch:
        folder = Path(scratch).resolve()
        if root is not None:
            source = root.resolve() / confined(root, Path(edit.path)).parent
            copied = 0
            for sibling in sorted(source.glob("*.tf")) if source.is_dir() else []:
                if sibling.name == relative.name or sibling.is_symlink() or not sibling.is_file():
                    continue
                copied += sibling.stat().st_size
                if copied > MAX_SIBLING_BYTES:
                    break
                shutil.copyfile(sibling, folder / sibling.name)
        (folder / relative.name).write_text(edit.new_text, encoding="utf-8")
        report = validate_terraform([folder], run_terraform=False)
        shown = "" if str(relative.parent) == "." else f"{relative.parent}/"
        dumped = report.model_dump_json()
        for prefix in {str(folder), scratch}:
            dumped = dumped.replace(json.dumps(prefix + "/")[1:-1], json.dumps(shown)[1:-1])
        return ValidationReport.model_validate_json(dumped)


def summarize(report: ValidationReport) -> Checked:
    """A report as a headline and lines: invalid objects and high findings first, then the rest and notes.

    A finding that only repeats an invalid object's message (a parse or schema error) is not listed twice.
    """
    from tools.findings import Severity
    from tools.validation.report import ResourceStatus

    problems: list[str] = []
    said: set[tuple[str, int, str]] = set()
    for result in report.results:
        if result.status not in (ResourceStatus.INVALID, ResourceStatus.ERROR):
            continue
        where = f"{result.source}:{result.line}"
        resource = "" if result.resource == where else f"{result.resource}: "
        problems.append(f"{where}: {resource}{'; '.join(result.messages)}")
        said.update((result.source, result.line, message) for message in result.messages)
    others: list[str] = []
    for finding in report.findings:
        first = finding.evidence[0] if finding.evidence else None
        if first is not None and (first.source, first.line, finding.title) in said:
            continue
        line = f"{finding.severity.value}: {f'{first.source}:{first.line}: ' if first else ''}{finding.id} "
        line += finding.title + (f" at {finding.field_path}" if finding.field_path else "")
        if finding.severity.at_least(Severity.HIGH):
            fix = " ".join(finding.fix.split())[:160]
            problems.append(line + (f"; fix: {fix}" if fix else ""))
        else:
            others.append(line)
    counted = f"{report.target}: {report.counts.resources} objects, {len(report.findings)} findings"
    if problems:
        return Checked("problems", f"does not validate ({counted})", (*problems, *others, *report.notes))
    return Checked("valid", f"valid ({counted})", (*others, *report.notes))


def editor_argv(environ: Mapping[str, str] | None = None) -> list[str]:
    """The editor as argv: `$VISUAL`, else `$EDITOR`, else vi; split like a shell would, run without one."""
    env = os.environ if environ is None else environ
    chosen = env.get("VISUAL") or env.get("EDITOR") or "vi"
    try:
        argv = shlex.split(chosen)
    except ValueError as err:
        raise EditorError(f"cannot read the editor command {chosen!r}: {err}") from err
    return argv or ["vi"]


def edit_externally(text: str, filename: str, environ: Mapping[str, str] | None = None) -> str:
    """Let the user edit `text` in their editor; the edited text.

    The text goes to a private temporary folder under the file's own name (so the editor
    picks its syntax), the editor runs as argv plus that path (no shell) and the file is
    read back and deleted. Raises `EditorError` when the editor cannot start, exits with
    an error, or leaves text that is not UTF-8.
    """
    argv = editor_argv(environ)
    folder = tempfile.mkdtemp(prefix="shipmate-edit-")
    path = Path(folder) / (PurePosixPath(filename).name or "proposal.txt")
    try:
        path.write_text(text, encoding="utf-8", newline="")
        path.chmod(0o600)
        try:
            done = subprocess.run([*argv, str(path)], check=False)
        except OSError as err:
            raise EditorError(f"cannot start the editor {argv[0]!r}: {err.strerror or err}") from err
        if done.returncode != 0:
            raise EditorError(f"the editor {argv[0]!r} exited with status {done.returncode}; nothing changed")
        try:
            with path.open(encoding="utf-8", newline="") as edited:
                return edited.read()
        except UnicodeDecodeError as err:
            raise EditorError("the edited text is not UTF-8; nothing changed") from err
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def argv_text(argv: list[str]) -> Text:
    """One argument per line, quoted as JSON: the list a program receives, never a shell line."""
    text = Text()
    for index, argument in enumerate(argv):
        if index:
            text.append("\n")
        text.append(f"argv[{index}] ", style="dim")
        text.append(visible(json.dumps(argument, ensure_ascii=False)))
    return text


def diff_renderable(diff: str) -> Text:
    """The unified diff, highlighted by its own lexer (no markup is read from it)."""
    if not diff:
        return Text("(no change: the new text is the file's current text)", style="italic")
    code = visible(diff)
    highlighted = Syntax(code, "diff", theme="ansi_dark").highlight(code)
    highlighted.style = ""  # token colours only: the dialog's own background, light or dark
    return highlighted


class ProposalScreen(ModalScreen[Decision]):
    """One proposal to approve, reject or edit; `read_only` only shows it again (Esc closes)."""

    DEFAULT_CSS = """
    ProposalScreen { align: center middle; }
    ProposalScreen > #dialog {
        width: 100%; height: 100%; max-width: 160;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ProposalScreen #heading { height: auto; max-height: 2; }
    ProposalScreen #body { height: 1fr; }
    ProposalScreen #editor { height: 1fr; display: none; }
    ProposalScreen #validation-view { height: auto; max-height: 7; border-top: hkey $panel; }
    ProposalScreen #validation { height: auto; }
    ProposalScreen #buttons { height: 1; }
    ProposalScreen #buttons Button { margin-right: 1; }
    ProposalScreen .editing-only { display: none; }
    ProposalScreen.-editing #body { display: none; }
    ProposalScreen.-editing #editor { display: block; }
    ProposalScreen.-editing .editing-only { display: block; }
    ProposalScreen.-editing .review-only { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve"),
        Binding("r", "reject", "Reject"),
        Binding("escape", "escape", "Reject / close editor", priority=True),
        Binding("e", "edit", "Edit"),
        Binding("ctrl+s", "save", "Save the edit", priority=True),
        Binding("ctrl+e", "open_editor", "Edit in $EDITOR", priority=True),
    ]

    @dataclass
    class Validated(Message):
        """Validation of the proposal shown finished (posted from the worker thread)."""

        generation: int
        checked: Checked

    def __init__(
        self, proposal: Proposal, root: Path | None = None, *, read_only: bool = False, state: str = ""
    ) -> None:
        super().__init__()
        self.proposal = proposal
        self.current = proposal
        self.root = root
        self.read_only = read_only
        self.state = state
        self.checked: Checked | None = None
        self.warning = ""
        self._generation = 0
        self._withdrawn = False

    @property
    def editing(self) -> bool:
        """True while the inline editor is open."""
        return self.has_class("-editing")

    @property
    def editable(self) -> bool:
        """A file edit that may still be decided (commands and read-only views cannot be edited)."""
        return not self.read_only and self.proposal.edit is not None and not self._withdrawn

    def compose(self) -> ComposeResult:
        """Heading; the diff or argv with what it is and why; the editor; validation; buttons."""
        edit = self.proposal.edit
        with Vertical(id="dialog"):
            yield Static(self._heading(), id="heading")
            with VerticalScroll(id="body"):
                yield Static(self._about(), id="about")
                if edit is not None:
                    yield Static(diff_renderable(edit.diff), id="diff")
                else:
                    yield Static(argv_text(list(self.proposal.argv or [])), id="argv")
            if edit is not None and not self.read_only:
                yield TextArea.code_editor(
                    edit.new_text, language=self._language(edit.path), theme="css", id="editor"
                )
            with VerticalScroll(id="validation-view"):
                yield Static(Text("validating ...", style="italic"), id="validation")
            with Horizontal(id="buttons"):
                if self.read_only:
                    yield Button("Close (Esc)", id="close", compact=True)
                    return
                yield Button(
                    "Approve (a)", id="approve", variant="success", compact=True, classes="review-only"
                )
                yield Button("Reject (r)", id="reject", variant="error", compact=True, classes="review-only")
                if edit is not None:
                    yield Button("Edit (e)", id="edit", compact=True, classes="review-only")
                    yield Button("$EDITOR (ctrl+e)", id="external", compact=True)
                    yield Button(
                        "Save (ctrl+s)", id="save", variant="primary", compact=True, classes="editing-only"
                    )
                    yield Button(
                        "Close editor (Esc)", id="close-editor", compact=True, classes="editing-only"
                    )

    def on_mount(self) -> None:
        """Start validating; the diff has the focus so the arrow keys scroll it."""
        self.query_one("#body").focus()
        self._validate()

    # --- actions --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Approve, reject and edit only while the proposal may be decided; editing only for file edits."""
        if action in ("approve", "reject"):
            return not self.read_only and not (action == "approve" and self.editing)
        if action in ("edit", "open_editor"):
            return self.editable
        if action == "save":
            return self.editable and self.editing
        return True

    def action_approve(self) -> None:
        """Approve what is shown: the revision when the text was edited."""
        if self._withdrawn:
            self.dismiss(Decision(False))
            return
        revised = self.current if self.current.id != self.proposal.id else None
        self.dismiss(Decision(True, revised))

    def action_reject(self) -> None:
        """Reject: nothing is written or run."""
        self.dismiss(Decision(False))

    def action_escape(self) -> None:
        """Esc: close the editor (unsaved changes are dropped), else reject (or close a read-only view)."""
        if self.editing:
            self._close_editor(revert=True)
        else:
            self.dismiss(Decision(False))

    def action_edit(self) -> None:
        """Open the inline editor on the proposed new text (ctrl+s saves, Esc closes)."""
        self.add_class("-editing")
        self.query_one("#editor", TextArea).focus()

    def action_save(self) -> None:
        """ctrl+s: the edited text becomes a new proposal for the same file, shown and validated again."""
        self._revise(self.query_one("#editor", TextArea).text)

    def action_open_editor(self) -> None:
        """ctrl+e: edit the text in `$VISUAL` / `$EDITOR` (the app is suspended meanwhile), then revise."""
        editor = self.query_one("#editor", TextArea)
        assert self.current.edit is not None
        text = editor.text if self.editing else self.current.edit.new_text
        try:
            with self.app.suspend():
                edited = edit_externally(text, self.current.edit.path)
        except SuspendNotSupported:
            self.notify(
                "this terminal cannot hand over to an editor: use the inline editor (e)", severity="warning"
            )
            return
        except EditorError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        editor.load_text(edited)
        self._revise(edited)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons do what their keys do."""
        actions: dict[str, Callable[[], None]] = {
            "approve": self.action_approve,
            "reject": self.action_reject,
            "close": self.action_reject,
            "edit": self.action_edit,
            "external": self.action_open_editor,
            "save": self.action_save,
            "close-editor": lambda: self._close_editor(revert=True),
        }
        event.stop()
        action = actions.get(event.button.id or "")
        if action is not None:
            action()

    def withdraw(self) -> None:
        """The request was cancelled (the turn stopped): close as a rejection, or mark it if covered."""
        self._withdrawn = True
        if self.is_current:
            self.dismiss(Decision(False))
        else:
            self.query_one("#heading", Static).update(
                Text("withdrawn: the turn was cancelled", style="bold yellow")
            )

    # --- revision and validation ----------------------------------------------------------------

    def _revise(self, text: str) -> None:
        from tools.errors import InputError
        from tools.proposals import file_edit_proposal

        original = self.proposal
        assert original.edit is not None
        if self.root is None:
            self._show_problem("cannot revise: the workspace is not known")
            return
        try:
            revised = file_edit_proposal(
                self.root,
                self.root / original.edit.path,
                text,
                original.title,
                original.rationale,
                original.origin,
            )
        except (InputError, OSError, UnicodeDecodeError) as err:
            self._show_problem(f"cannot revise: {err}")
            return
        assert revised.edit is not None
        self.warning = (
            "the file changed on disk since this was proposed: the diff is against its current content"
            if revised.edit.original_sha256 != original.edit.original_sha256
            else ""
        )
        self.current = revised
        self.query_one("#heading", Static).update(self._heading())
        self.query_one("#about", Static).update(self._about())
        self.query_one("#diff", Static).update(diff_renderable(revised.edit.diff))
        self._close_editor(revert=False)
        self._validate()

    def _close_editor(self, revert: bool) -> None:
        if revert and self.current.edit is not None:
            self.query_one("#editor", TextArea).load_text(self.current.edit.new_text)
        self.remove_class("-editing")
        self.query_one("#approve", Button).focus()

    def _show_problem(self, message: str) -> None:
        self.query_one("#validation", Static).update(Text(visible(message), style="bold red"))

    def _validate(self) -> None:
        self._generation += 1
        self.checked = None
        self.query_one("#validation", Static).update(Text("validating ...", style="italic"))
        self._check(self.current, self._generation)

    @work(thread=True, group="validate")
    def _check(self, proposal: Proposal, generation: int) -> None:
        self.post_message(self.Validated(generation, check_proposal(proposal, self.root)))

    def on_proposal_screen_validated(self, message: Validated) -> None:
        """Show the result, unless the text changed again meanwhile."""
        if message.generation != self._generation:
            return
        self.checked = message.checked
        shown = message.checked.renderable()
        if self.warning:
            shown = Text.assemble(Text(self.warning, style="bold yellow"), "\n", shown)
        self.query_one("#validation", Static).update(shown)

    # --- text -----------------------------------------------------------------------------------

    def _heading(self) -> Text:
        current = self.current
        text = Text(visible(current.id), style="bold")
        text.append(": " + visible(current.title), style="bold")
        if current.id != self.proposal.id:
            text.append(f"  (your edit of {visible(self.proposal.id)})", style="italic")
        if self.state:
            text.append(f"  [{self.state}]", style="dim")
        return text

    def _about(self) -> Text:
        current = self.current
        text = Text()
        if current.edit is not None:
            text.append("file ", style="dim")
            text.append(visible(current.edit.path))
            if current.edit.original_sha256 is None:
                text.append(" (new file)", style="italic")
        else:
            text.append("command", style="dim")
            text.append(" (argv, run without a shell)", style="italic")
        if current.origin:
            text.append("\nfrom ", style="dim")
            text.append(visible(current.origin))
        if current.rationale:
            text.append("\nwhy ", style="dim")
            text.append(visible(current.rationale))
        text.append("\n")
        return text

    def _language(self, path: str) -> str | None:
        """Highlighting by file type (plain text when tree-sitter is not installed)."""
        return _LANGUAGES.get(PurePosixPath(path).suffix.lower())
