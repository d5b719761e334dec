"""Posting a review to a code host: GitHub (sticky comment, inline comments, check run) and GitLab notes."""
