"""Kubernetes CronJob: a scheduled, hardened job that never overlaps itself and cleans up after itself.

The schedule is checked here (five fields, or a macro such as @daily, as the CronJob
controller reads them) so a typo fails at generation rather than silently never running.
Defaults, and why:

- concurrencyPolicy Forbid: a run still going when the next is due makes the next one
  wait for the following slot instead of running twice at once (`concurrency_policy`).
- startingDeadlineSeconds 300: a run missed by more than five minutes (controller down,
  cluster full) is skipped rather than started late, and a long outage does not make the
  controller give up after 100 missed runs.
- backoffLimit 2 and activeDeadlineSeconds 3600: a failing run is retried twice, and a
  hung one is stopped after an hour, so it cannot block every later run under Forbid.
- ttlSecondsAfterFinished 86400 and history limits 3/3: finished Jobs and their pods
  (and logs) stay a day for debugging and do not pile up.
- restartPolicy OnFailure: a failed container is restarted in the same pod; `never`
  makes a new pod per attempt instead (for jobs that must not reuse a pod's scratch data).

The pod is hardened like every shipmate blueprint: non-root, read-only root filesystem
(an emptyDir for /tmp), no privilege escalation, all capabilities dropped, the runtime's
seccomp profile, no service-account token, requests and limits. Jobs are not probed
(a run-to-completion pod has nothing to be ready for).
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.k8s_parts import dump, labels_for, metadata, resources
from tools.blueprints.k8s_workload_parts import (
    SECRETS_ROOT,
    app_name,
    container_words,
    dns_name,
    first_group,
    hardened_container,
    pod_template,
    scratch_volume,
    secret_volume,
    words,
)
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.value_checks import quantity
from tools.errors import InputError

PARAMETERS = (
    Parameter(
        "image", "str", "container image with a pinned tag, e.g. ghcr.io/acme/report:1.2.0", required=True
    ),
    Parameter(
        "schedule",
        "str",
        "when to run: five cron fields (minute hour day-of-month month day-of-week), "
        'e.g. "*/15 * * * *" or "30 2 * * *", or @hourly, @daily, @weekly, @monthly, @yearly',
        required=True,
    ),
    Parameter("name", "str", "name of the CronJob and its objects (default: from the image)"),
    Parameter("namespace", "str", "namespace to deploy into", default="apps"),
    Parameter(
        "time_zone",
        "str",
        "IANA time zone of the schedule, e.g. Europe/Paris (empty: the controller's, usually UTC)",
        default="",
    ),
    Parameter(
        "command",
        "str",
        "command to run instead of the image's entrypoint, split like a shell would (empty: the entrypoint)",
        default="",
    ),
    Parameter("args", "str", "arguments for the command, split like a shell would (empty: none)", default=""),
    Parameter(
        "concurrency_policy",
        "str",
        "when a run is due while the last one still runs: forbid (skip it), replace (stop the old one) "
        "or allow (run both)",
        default="forbid",
        choices=("forbid", "replace", "allow"),
    ),
    Parameter(
        "restart_policy",
        "str",
        "onfailure (restart the failed container in its pod) or never (a new pod per attempt)",
        default="onfailure",
        choices=("onfailure", "never"),
    ),
    Parameter(
        "starting_deadline_seconds",
        "int",
        "a run that cannot start within this many seconds of its time is skipped",
        default=300,
        minimum=10,
    ),
    Parameter(
        "backoff_limit", "int", "retries of a failed run before it is marked failed", default=2, minimum=0
    ),
    Parameter(
        "active_deadline_seconds",
        "int",
        "a run still going after this many seconds is stopped",
        default=3600,
        minimum=1,
    ),
    Parameter(
        "ttl_seconds_after_finished",
        "int",
        "seconds a finished Job and its pods (and logs) are kept",
        default=86400,
        minimum=0,
    ),
    Parameter("successful_history", "int", "finished successful Jobs kept", default=3, minimum=0),
    Parameter("failed_history", "int", "failed Jobs kept", default=3, minimum=0),
    Parameter(
        "config_map",
        "str",
        "existing ConfigMap whose keys become environment variables (empty: none)",
        default="",
    ),
    Parameter(
        "secret",
        "str",
        f"existing Secret mounted read-only as files under {SECRETS_ROOT}/<name> (empty: none)",
        default="",
    ),
    Parameter("cpu_request", "str", "CPU request of the job's pod", default="100m"),
    Parameter("cpu_limit", "str", "CPU limit of the job's pod", default="1"),
    Parameter("memory_request", "str", "memory request of the job's pod", default="256Mi"),
    Parameter("memory_limit", "str", "memory limit of the job's pod", default="512Mi"),
)

MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# name, lowest, highest, names (their index plus the offset is their number), offset
_FIELDS: tuple[tuple[str, int, int, tuple[str, ...], int], ...] = (
    ("minute", 0, 59, (), 0),
    ("hour", 0, 23, (), 0),
    ("day of month", 1, 31, (), 0),
    ("month", 1, 12, _MONTHS, 1),
    ("day of week", 0, 6, _DAYS, 0),
)
_PART = re.compile(r"^(?:(\*|\?)|([0-9a-z]+)(?:-([0-9a-z]+))?)(?:/(\d+))?$")
_ZONE = re.compile(r"^(?:UTC|[A-Z][A-Za-z_+-]*(?:/[A-Za-z0-9_+-]+){1,2})$")


def check_schedule(text: str) -> str:
    """`text` as a schedule the CronJob controller accepts (spaces normalised), or a clear error."""
    schedule = " ".join(text.split())
    if schedule.lower() in MACROS:
        return schedule.lower()
    if "TZ=" in schedule.upper():
        raise InputError("--set schedule", "give the time zone with time_zone, not in the schedule")
    fields = schedule.split(" ")
    if len(fields) != 5:
        raise InputError(
            "--set schedule",
            f"{schedule!r} has {len(fields)} fields; a cron schedule has 5: minute hour day-of-month "
            f"month day-of-week (or use one of {', '.join(MACROS)})",
        )
    for value, (label, low, high, names, offset) in zip(fields, _FIELDS, strict=True):
        for part in value.lower().split(","):
            _check_part(part, label, low, high, names, offset, schedule)
    return schedule


def _check_part(
    part: str, label: str, low: int, high: int, names: tuple[str, ...], offset: int, schedule: str
) -> None:
    def bad(why: str) -> InputError:
        return InputError("--set schedule", f"{schedule!r}: {label} {part!r} {why}")

    match = _PART.match(part)
    if not match:
        raise bad("is not *, a number, a range a-b, or one of those with /step")
    wildcard, start, end, step = match.groups()
    if wildcard == "?" and label not in ("day of month", "day of week"):
        raise bad("? is only allowed for the day of month or of week")
    if step is not None and int(step) < 1:
        raise bad("has a step below 1")
    numbers: list[int] = []
    for text in (start, end):
        number = None if text is None else _number(text, names, offset)
        if text is not None and (number is None or not low <= number <= high):
            raise bad(f"is outside {low}-{high}" + (f" (or {names[0]}-{names[-1]})" if names else ""))
        if number is not None:
            numbers.append(number)
    if len(numbers) == 2 and numbers[0] > numbers[1]:
        raise bad("is a range that ends before it starts")


def _number(text: str, names: tuple[str, ...], offset: int) -> int | None:
    if text.isdigit():
        return int(text)
    return names.index(text) + offset if text in names else None


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The CronJob, in one file."""
    name = app_name(values)
    if len(name) > 52:
        raise InputError(
            "--set name", f"{name!r} is longer than 52 characters, the most a CronJob's name may be"
        )
    labels = labels_for(name)
    meta = metadata(name, dns_name(values["namespace"], "namespace"), labels)
    schedule = check_schedule(values["schedule"])
    zone = values["time_zone"]
    if zone and not _ZONE.match(zone):
        raise InputError("--set time_zone", f"{zone!r} is not an IANA time zone such as Europe/Paris or UTC")
    mounts: list[dict[str, Any]] = [{"name": "tmp", "mountPath": "/tmp"}]
    volumes = [scratch_volume("tmp")]
    if values["secret"]:
        secret = dns_name(values["secret"], "secret")
        mounts.append({"name": "secret", "mountPath": f"{SECRETS_ROOT}/{secret}", "readOnly": True})
        volumes.append(secret_volume("secret", secret))
    container = hardened_container(
        name,
        values["image"],
        command=words(values["command"], "command"),
        args=words(values["args"], "args"),
        envFrom=[{"configMapRef": {"name": dns_name(values["config_map"], "config_map")}}]
        if values["config_map"]
        else None,
        resources=resources(
            quantity(values["cpu_request"], "cpu_request"),
            quantity(values["memory_request"], "memory_request"),
            quantity(values["memory_limit"], "memory_limit"),
            quantity(values["cpu_limit"], "cpu_limit"),
        ),
        mounts=mounts,
    )
    restart = {"onfailure": "OnFailure", "never": "Never"}[values["restart_policy"]]
    template = pod_template(labels, [container], volumes, spread=False, restartPolicy=restart)
    cron_job = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": meta,
        "spec": {
            "schedule": schedule,
            **({"timeZone": zone} if zone else {}),
            "concurrencyPolicy": values["concurrency_policy"].capitalize(),
            "startingDeadlineSeconds": values["starting_deadline_seconds"],
            "successfulJobsHistoryLimit": values["successful_history"],
            "failedJobsHistoryLimit": values["failed_history"],
            "jobTemplate": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "backoffLimit": values["backoff_limit"],
                    "activeDeadlineSeconds": values["active_deadline_seconds"],
                    "ttlSecondsAfterFinished": values["ttl_seconds_after_finished"],
                    "template": template,
                },
            },
        },
    }
    return [GeneratedFile(f"{name}.yaml", dump([cron_job]))]


# --- words to a schedule -------------------------------------------------------------------------

_DAY_NAMES = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_QUOTED_SCHEDULE = re.compile(
    r"\b(?:cron(?:\s*job)?|schedule[d]?|crontab)\s*(?:expression|schedule)?\s*(?:of|[:=])?\s*"
    r"""(?:"([^"]+)"|'([^']+)'|`([^`]+)`)""",
    re.IGNORECASE,
)
# five fields: minute, hour and day of month start with a digit, * or ?; month and day of week may be names
_BARE_SCHEDULE = re.compile(
    r"(?<!\S)((?:[\d*?][\d*?,/-]*\s+){3}(?:[\w*?][\w*?,/-]*\s+)[\w*?][\w*?,/-]*"
    r"|@(?:yearly|annually|monthly|weekly|daily|midnight|hourly))(?!\S)",
    re.IGNORECASE,
)
_EVERY_N = re.compile(r"\bevery\s+(\d+)\s*(minutes?|mins?|m|hours?|hrs?|h)\b", re.IGNORECASE)
_EVERY_MINUTE = re.compile(r"\bevery\s+minute\b", re.IGNORECASE)
_HOURLY = re.compile(r"\b(?:hourly|every\s+hour|once\s+an\s+hour)\b", re.IGNORECASE)
_WEEKDAYS = re.compile(r"\b(?:every\s+weekday|on\s+weekdays|weekdays)\b", re.IGNORECASE)
_DAY_OF_WEEK = re.compile(
    r"\b(?:every|on|each)\s+(sun|mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?)(?:day)?s?\b", re.IGNORECASE
)
_NIGHTLY = re.compile(r"\b(?:nightly|every\s+night|each\s+night)\b", re.IGNORECASE)
_DAILY = re.compile(r"\b(?:daily|every\s+day|each\s+day|once\s+a\s+day)\b", re.IGNORECASE)
_WEEKLY = re.compile(r"\b(?:weekly|every\s+week|once\s+a\s+week)\b", re.IGNORECASE)
_MONTHLY = re.compile(r"\b(?:monthly|every\s+month|once\s+a\s+month)\b", re.IGNORECASE)
_AT = re.compile(
    r"\bat\s+(?:(midnight)|(noon)|(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?(?![\w.:/-]))", re.IGNORECASE
)
_TIME_ZONE = re.compile(
    r"\b(?:time\s*zone|tz)\s*[:=]?\s*([A-Za-z_]+(?:/[A-Za-z0-9_+-]+){0,2})"
    r"|\bin\s+([A-Z][A-Za-z_]+/[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)?|UTC)(?:\s+time)?\b"
)
_RETRIES = re.compile(r"\b(\d+)\s+retr(?:y|ies)\b|\bretr(?:y|ies)\s+(\d+)\b", re.IGNORECASE)
_TIMEOUT = re.compile(
    r"\b(?:timeout|time\s*limit|deadline|at\s+most|max(?:imum)?\s+runtime)\s+(?:of\s+)?(\d+)\s*"
    r"(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)\b",
    re.IGNORECASE,
)


def _time_of_day(text: str, default_hour: int) -> tuple[int, int]:
    match = _AT.search(text)
    if not match:
        return default_hour, 0
    midnight, noon, hour, minute, meridiem = match.groups()
    if midnight:
        return 0, 0
    if noon:
        return 12, 0
    hours, minutes = int(hour), int(minute or 0)
    if meridiem:
        hours = hours % 12 + (12 if meridiem.lower().startswith("p") else 0)
    return hours, minutes


def schedule_from_words(text: str) -> str | None:
    """A cron schedule for phrasings such as "every 5 minutes", "daily at 02:30", "every monday"."""
    quoted = first_group(_QUOTED_SCHEDULE.search(text))
    if quoted and _BARE_SCHEDULE.fullmatch(quoted.strip()):
        return " ".join(quoted.split())
    bare = _BARE_SCHEDULE.search(text)
    if bare:
        return " ".join(bare.group(1).split())
    if _EVERY_MINUTE.search(text):
        return "* * * * *"
    every = _EVERY_N.search(text)
    if every:
        count, unit = int(every.group(1)), every.group(2).lower()
        if unit.startswith("m") and 1 <= count <= 59:
            return "* * * * *" if count == 1 else f"*/{count} * * * *"
        if unit.startswith("h") and 1 <= count <= 23:
            return "0 * * * *" if count == 1 else f"0 */{count} * * *"
        return None  # "every 90 minutes" has no cron schedule: better asked for than guessed
    if _HOURLY.search(text):
        return "0 * * * *"
    hour, minute = _time_of_day(text, 2 if _NIGHTLY.search(text) else 0)
    if _WEEKDAYS.search(text):
        return f"{minute} {hour} * * 1-5"
    day = _DAY_OF_WEEK.search(text)
    if day:
        number = next(i for i, full in enumerate(_DAY_NAMES) if full.startswith(day.group(1).lower()[:3]))
        return f"{minute} {hour} * * {number}"
    if _WEEKLY.search(text):
        return f"{minute} {hour} * * 0"
    if _MONTHLY.search(text):
        return f"{minute} {hour} 1 * *"
    if _NIGHTLY.search(text) or _DAILY.search(text) or _AT.search(text):
        return f"{minute} {hour} * * *"
    return None


def extract(text: str) -> dict[str, Any]:
    """The CronJob's own parameters from an ask: schedule, time zone, command, retries, timeout."""
    found = container_words(_QUOTED_SCHEDULE.sub(" ", text))
    found["schedule"] = schedule_from_words(text)
    zone = _TIME_ZONE.search(text)
    if zone:
        found["time_zone"] = next(g for g in zone.groups() if g)
    retries = _RETRIES.search(text)
    if retries:
        found["backoff_limit"] = next(g for g in retries.groups() if g)
    timeout = _TIMEOUT.search(text)
    if timeout:
        unit = timeout.group(2).lower()
        factor = 3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1
        found["active_deadline_seconds"] = int(timeout.group(1)) * factor
    if re.search(r"\b(?:restart(?:\s+policy)?\s+never|never\s+restart|new\s+pod\s+(?:per|each))", text, re.I):
        found["restart_policy"] = "never"
    return found


CRON_JOB = Blueprint(
    name="k8s-cronjob",
    target="kubernetes",
    title="CronJob: scheduled hardened job that never overlaps itself, with retries, deadlines, clean-up",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bcron\s*jobs?\b",
        r"\bcron(?:tab)?\b(?!\s*jobs?)",
        r"\bschedul(?:e|ed|ing)\b",
        r"\bevery\s+(?:\d+\s*)?(?:minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|weekdays?)\b",
        r"\b(?:every|on|each)\s+(?:sun|mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?)day",
        r"\b(?:hourly|daily|nightly|weekly|monthly)\b",
        r"\bperiodic(?:ally)?\b",
    ),
    extract=extract,
    examples=(
        {
            "image": "ghcr.io/acme/report:1.2.0",
            "name": "nightly-report",
            "schedule": "30 2 * * *",
            "time_zone": "Europe/Paris",
            "command": "python -m report --since yesterday",
            "config_map": "report-settings",
            "secret": "report-db",
        },
        {
            "image": "ghcr.io/acme/poller:3.0.1",
            "schedule": "*/5 * * * *",
            "restart_policy": "never",
            "concurrency_policy": "replace",
            "backoff_limit": 0,
            "active_deadline_seconds": 240,
        },
        {"image": "ghcr.io/acme/cleanup:0.4.0", "schedule": "@weekly"},
    ),
    example_ask="cron job ghcr.io/acme/report:1.2.0 daily at 02:30",
)

BLUEPRINTS = (CRON_JOB,)
