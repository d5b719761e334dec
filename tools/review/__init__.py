"""Reviewing a change: the files a git diff touches, validated at base and head, findings mapped to lines."""
