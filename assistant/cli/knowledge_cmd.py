"""`shipmate index` and `shipmate ask`: the knowledge base, offline."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assistant.cli.state import GlobalOptions

if TYPE_CHECKING:
    from assistant.config import LoadedSettings
    from tools.retrieval.indexer import Embedder, IndexReport
    from tools.retrieval.search import Passage

INDEX_HELP = """Build or update the knowledge index used by `shipmate ask` and the agent.

Indexes the bundled runbooks and guides plus your own folders (the PATHs given
here and `knowledge.paths` in the configuration): Markdown, reStructuredText, HTML
and plain text, chunked by heading. Unchanged files are not re-embedded; deleted
files leave the index. Embeddings are computed offline (all-MiniLM-L6-v2) unless
`knowledge.embedder` names another provider: chroma (Chroma's default, downloaded
once), litellm:<model> (OpenAI, Ollama, any OpenAI-compatible server; texts are
redacted before they leave) or sentence-transformers:<model> (when installed).
Each provider keeps its own collection in the store.

The index lives in $XDG_DATA_HOME/shipmate/knowledge unless `knowledge.store` names
another directory or a Chroma server (http://host:8000).

Examples:

  shipmate index

  shipmate index ~/team-runbooks docs/

  shipmate index --rebuild
"""


def index(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        None, help="Extra folders or files of your own docs.", show_default=False
    ),
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and build it again from scratch."),
    bundled: bool = typer.Option(
        True,
        "--bundled/--no-bundled",
        help="Include shipmate's own runbooks and guides (default) or only yours.",
    ),
    store: str = typer.Option(
        None, "--store", help="Index location (directory or Chroma server URL).", show_default=False
    ),
    output_format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Build or update the knowledge index; see INDEX_HELP."""
    from assistant.config import knowledge_paths, knowledge_store, load_settings
    from tools.retrieval.docs_tool import build_index

    options: GlobalOptions = ctx.obj or GlobalOptions()
    loaded = load_settings({"knowledge": {"store": store}} if store else {})
    location = knowledge_store(loaded)
    extra = [*knowledge_paths(loaded), *(paths or [])]
    embedder = configured_embedder(loaded)
    with IndexProgress(options.quiet) as progress:
        report = build_index(
            location, extra, rebuild=rebuild, progress=progress.update, embedder=embedder, bundled=bundled
        )
    if output_format == "json":
        sys.stdout.write(json.dumps({"store": location, **asdict(report)}, indent=2) + "\n")
        return
    _print_report(location, report, options.quiet)


def _print_report(location: str, report: IndexReport, quiet: bool) -> None:
    print(
        f"Indexed {report.files} files into {location}: {report.embedded_files} embedded, "
        f"{report.unchanged_files} unchanged, {report.removed_files} removed; "
        f"{report.total_chunks} chunks ({report.seconds:.1f} s)."
    )
    if report.skipped:
        print(f"Skipped {len(report.skipped)} file(s):")
        if not quiet:
            for line in report.skipped:
                print(f"  {line}")


def _snippet(text: str, limit: int = 420) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


def print_passages(passages: list[Passage], options: GlobalOptions) -> None:
    from rich.text import Text

    from assistant.cli.console import color_disabled, make_console

    console = make_console(no_color=color_disabled(options.no_color))
    if not passages:
        console.print(
            Text("No passage matches; try other words or `shipmate index` your own docs.", style="yellow")
        )
        return
    for number, passage in enumerate(passages, start=1):
        head = Text(f"{number}. ")
        head.append(passage.title, style="bold")
        if passage.heading and passage.heading != passage.title:
            head.append(f" > {passage.heading.split(' > ', 1)[-1]}", style="bold")
        if passage.exact:
            head.append("  [exact match]", style="green")
        console.print(head)
        console.print(Text(f"   {passage.source}", style="magenta"))
        console.print(Text(f"   {_snippet(passage.text)}"))
        console.print(Text(""))


def passages_markdown(question: str, passages: list[Passage]) -> str:
    parts = [f"## shipmate ask: {question}", ""]
    if not passages:
        parts.append("No passage matches.")
    for number, passage in enumerate(passages, start=1):
        parts += [f"### {number}. {passage.title} > {passage.heading}", "", f"Source: `{passage.source}`", ""]
        parts.append(f"> {_snippet(passage.text, 800)}")
        parts.append("")
    return "\n".join(parts) + "\n"


class IndexProgress:
    """A progress bar on stderr while files are embedded (terminal only)."""

    def __init__(self, quiet: bool) -> None:
        self._enabled = not quiet and sys.stderr.isatty()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> IndexProgress:
        if self._enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("Indexing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=None)
        return self

    def update(self, source: str, done: int, total: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=total, description=Path(source).name)

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def configured_embedder(loaded: LoadedSettings) -> Embedder:
    """The embedder the settings name (`knowledge.embedder`)."""
    from tools.retrieval.docs_tool import embedder_for

    knowledge = loaded.settings.knowledge
    key = knowledge.embedding_api_key.get_secret_value() if knowledge.embedding_api_key else None
    return embedder_for(knowledge.embedder, knowledge.embedding_api_base, key)
