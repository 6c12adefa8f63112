#!/usr/bin/env python3
"""A recording stand-in for the GitHub CLI, with the issues and pull requests it was asked for.

It keeps its state in ``$GH_STATE`` (JSON) and appends every call to ``$GH_RECORD``. It fails where
the real ``gh`` fails for the commands the workflows use: no ``GH_TOKEN`` (exit 4, "gh auth
login"), no repository (neither ``GH_REPO`` nor ``--repo``), a label that does not exist, an
issue number that does not exist, a pull request whose head branch is not on the remote
(``$FAKE_GIT_REMOTE``), an unknown flag.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

KNOWN = {
    ("label", "create"): {"--color", "--description", "--force"},
    ("issue", "list"): {"--state", "--label", "--limit", "--json"},
    ("issue", "create"): {"--title", "--label", "--body-file"},
    ("issue", "edit"): {"--body-file"},
    ("issue", "comment"): {"--body-file"},
    ("pr", "create"): {"--base", "--head", "--title", "--body-file"},
    ("pr", "comment"): {"--body"},
}
FLAGS = {"--force"}


def fail(message: str, code: int = 1) -> None:
    print(message, file=sys.stderr)
    sys.exit(code)


def parse(words: list[str], allowed: set[str]) -> tuple[list[str], dict[str, str]]:
    positional, options = [], {}
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("--"):
            if word not in allowed:
                fail(f"unknown flag: {word}")
            if word in FLAGS:
                options[word] = "true"
            else:
                options[word] = words[index + 1]
                index += 1
        else:
            positional.append(word)
        index += 1
    return positional, options


def main() -> None:
    args = sys.argv[1:]
    with open(os.environ["GH_RECORD"], "a", encoding="utf-8") as record:
        record.write(json.dumps(args) + "\n")
    if not os.environ.get("GH_TOKEN"):
        fail(
            "To get started with GitHub CLI, please run:  gh auth login\n"
            "Alternatively, populate the GH_TOKEN environment variable with a GitHub API "
            "authentication token.",
            4,
        )
    if not os.environ.get("GH_REPO"):
        fail("failed to determine base repo: not a git repository")
    command = tuple(args[:2])
    if command not in KNOWN:
        fail(f"unknown command {' '.join(args[:2])!r} for gh")
    positional, options = parse(args[2:], KNOWN[command])
    state_path = Path(os.environ["GH_STATE"])
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    state.setdefault("labels", [])
    state.setdefault("issues", [])
    state.setdefault("pulls", [])
    repo = os.environ["GH_REPO"]

    def body() -> str:
        return Path(options["--body-file"]).read_text(encoding="utf-8")

    def issue(number: str) -> dict:
        found = next((i for i in state["issues"] if str(i["number"]) == number), None)
        if found is None:
            fail(
                "GraphQL: Could not resolve to an issue or pull request with the number of "
                f"{number}."
            )
        return found

    if command == ("label", "create"):
        if positional[0] in state["labels"] and "--force" not in options:
            fail(f'label with name "{positional[0]}" already exists; use `--force` to update')
        if positional[0] not in state["labels"]:
            state["labels"].append(positional[0])
    elif command == ("issue", "list"):
        found = [
            {"number": i["number"], "body": i["body"]}
            for i in state["issues"]
            if i["state"] == options.get("--state", "open") and options["--label"] in i["labels"]
        ]
        print(json.dumps(found))
    elif command == ("issue", "create"):
        if options["--label"] not in state["labels"]:
            fail(f"could not add label: '{options['--label']}' not found")
        number = len(state["issues"]) + len(state["pulls"]) + 1
        state["issues"].append(
            {
                "number": number,
                "title": options["--title"],
                "body": body(),
                "labels": [options["--label"]],
                "state": "open",
                "comments": [],
            }
        )
        print(f"https://github.com/{repo}/issues/{number}")
    elif command == ("issue", "edit"):
        issue(positional[0])["body"] = body()
    elif command == ("issue", "comment"):
        issue(positional[0])["comments"].append(body())
    elif command == ("pr", "create"):
        head = options["--head"]
        remote = os.environ["FAKE_GIT_REMOTE"]
        listed = subprocess.run(
            ["git", "ls-remote", "--heads", remote, head], capture_output=True, text=True
        ).stdout
        if not listed.strip():
            fail(
                "pull request create failed: GraphQL: Head sha can't be blank, Head ref must be "
                f"a branch ({head})"
            )
        number = len(state["issues"]) + len(state["pulls"]) + 1
        state["pulls"].append(
            {
                "number": number,
                "base": options["--base"],
                "head": head,
                "title": options["--title"],
                "body": body(),
                "comments": [],
            }
        )
        print(f"https://github.com/{repo}/pull/{number}")
    elif command == ("pr", "comment"):
        number = positional[0].rsplit("/", 1)[-1]
        pull = next((p for p in state["pulls"] if str(p["number"]) == number), None)
        if pull is None:
            fail(f"no pull requests found for {positional[0]}")
        pull["comments"].append(options["--body"])
    state_path.write_text(json.dumps(state, indent=1))


if __name__ == "__main__":
    main()
