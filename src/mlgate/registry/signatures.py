"""SSH signatures on the registry's tags: sign the tags GTO wrote, verify them against signers.

A git tag signed with SSH (``gpg.format ssh``) is the tag object followed by an armoured
signature over everything before it, in the ``git`` namespace: what ``git tag -s`` writes and
``git verify-tag`` checks. mlgate writes its tags through GTO's API (which cannot sign), then
signs each object in place with ``ssh-keygen -Y sign`` and ``git mktag``, so the result is the tag
``git tag -s`` would have written, and ``git verify-tag`` accepts it.

Who may do what is said by principals in git's ``allowed_signers`` file (``ssh-keygen(1)``,
ALLOWED SIGNERS): besides the signer's own e-mail (which must be the tag's tagger), a key's line
lists ``mlgate:register`` to register versions and ``mlgate:stage:<stage>`` for each stage it may
assign::

    ci@example.com,mlgate:register,mlgate:stage:staging ssh-ed25519 AAAAC3Nz...
    ann@example.com,mlgate:register,mlgate:stage:staging,mlgate:stage:prod ssh-ed25519 AAAAC3Nz...
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mlgate.errors import ConfigError, RunError
from mlgate.git import config_value, replace_tag_object, tag_object, tag_object_id

#: Where an SSH signature starts in a signed tag object (git's ``SSH_SIGNATURE_HEADER``).
SIGNATURE_BEGIN = b"-----BEGIN SSH SIGNATURE-----"
#: The signature namespace git uses for commits and tags.
NAMESPACE = "git"
#: The principal that lets a key register versions.
REGISTER_PRINCIPAL = "mlgate:register"


def stage_principal(stage: str) -> str:
    """The principal that lets a key assign ``stage`` (``mlgate:stage:prod``)."""
    return f"mlgate:stage:{stage}"


@dataclass(frozen=True)
class SignedTag:
    """A tag object split as git signs it.

    Attributes
    ----------
    payload : bytes
        What the signature covers: the object up to the signature.
    signature : bytes or None
        The armoured SSH signature; None for an unsigned tag (or a PGP one, which mlgate does
        not accept).
    name, tagger_email, target : str
        The ``tag``, ``tagger`` e-mail and ``object`` headers of the payload.
    """

    payload: bytes
    signature: bytes | None
    name: str
    tagger_email: str
    target: str


def split_tag(raw: bytes) -> SignedTag:
    """``raw`` (``git cat-file tag``) as payload, signature and the headers that matter."""
    at = raw.find(SIGNATURE_BEGIN)
    payload, signature = (raw, None) if at < 0 else (raw[:at], raw[at:])
    head = payload.split(b"\n\n", 1)[0].decode("utf-8", "replace")
    headers: dict[str, str] = {}
    for line in head.splitlines():
        key, _, value = line.partition(" ")
        headers.setdefault(key, value)
    email = re.search(r"<([^>]*)>", headers.get("tagger", ""))
    return SignedTag(
        payload,
        signature,
        headers.get("tag", ""),
        email.group(1) if email else "",
        headers.get("object", ""),
    )


def _ssh_keygen(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["ssh-keygen", *args], input=stdin, capture_output=True, check=False, timeout=60
        )
    except FileNotFoundError:
        raise RunError(
            "ssh-keygen is not installed (or not on PATH): the registry's tags are signed and "
            "verified with SSH keys. Install OpenSSH's client (Debian: openssh-client)."
        ) from None


def signing_key() -> str | None:
    """The SSH key git signs with here (``user.signingkey`` with ``gpg.format ssh``); or None."""
    if (config_value("gpg.format") or "openpgp") != "ssh":
        return None
    return config_value("user.signingkey")


def sign_payload(payload: bytes, *, key: str) -> bytes:
    """An armoured SSH signature of ``payload`` in git's namespace, made with ``key``.

    ``key`` is what ``user.signingkey`` holds: a private key's path, a public key's path (the
    private half then comes from ssh-agent), or ``key::<public key>`` (ssh-agent too).

    Raises
    ------
    ConfigError
        When ssh-keygen cannot sign with that key (missing file, locked key, no agent).
    """
    with tempfile.TemporaryDirectory(prefix="mlgate-sign-") as folder:
        if key.startswith("key::"):
            key_file = Path(folder) / "key.pub"
            key_file.write_text(key.removeprefix("key::") + "\n", encoding="utf-8")
        else:
            key_file = Path(key).expanduser()
        message = Path(folder) / "payload"
        message.write_bytes(payload)
        signed = _ssh_keygen("-Y", "sign", "-q", "-n", NAMESPACE, "-f", str(key_file), str(message))
        signature = message.with_suffix(".sig")
        if signed.returncode != 0 or not signature.is_file():
            raise ConfigError(
                f"git's signing key (user.signingkey = {key}) could not sign the registry's "
                f"tags: {signed.stderr.decode(errors='replace').strip() or 'ssh-keygen failed'}. "
                "Give an SSH key ssh-keygen can use (a private key file, or a public key whose "
                "private half is in ssh-agent)."
            )
        return signature.read_bytes()


def sign_tag(tag: str, *, key: str) -> None:
    """Replace the local, unsigned annotated tag ``tag`` by the same object signed with ``key``."""
    raw = tag_object(tag)
    old = tag_object_id(tag)
    if raw is None or old is None:
        raise RunError(f"tag {tag} is not an annotated tag here: it cannot be signed.")
    if split_tag(raw).signature is not None:
        return
    body = raw if raw.endswith(b"\n") else raw + b"\n"
    replace_tag_object(tag, body + sign_payload(body, key=key), old=old)


def verify_signature(tag: SignedTag, *, allowed_signers: str, principal: str) -> bool:
    """Whether ``tag``'s signature is good, by a key ``allowed_signers`` gives ``principal``.

    ``allowed_signers`` is the file's text; ``principal`` is matched against each line's
    principals as ``ssh-keygen -Y verify -I`` does.
    """
    if tag.signature is None:
        return False
    with tempfile.TemporaryDirectory(prefix="mlgate-verify-") as folder:
        signers = Path(folder) / "allowed_signers"
        signers.write_text(allowed_signers, encoding="utf-8")
        signature = Path(folder) / "tag.sig"
        signature.write_bytes(tag.signature)
        done = _ssh_keygen(
            "-Y",
            "verify",
            "-f",
            str(signers),
            "-I",
            principal,
            "-n",
            NAMESPACE,
            "-s",
            str(signature),
            stdin=tag.payload,
        )
    return done.returncode == 0


def signer_principals(tag: SignedTag, *, allowed_signers: str) -> list[str]:
    """The principals ``allowed_signers`` gives the key that signed ``tag`` (for messages)."""
    if tag.signature is None:
        return []
    with tempfile.TemporaryDirectory(prefix="mlgate-verify-") as folder:
        signers = Path(folder) / "allowed_signers"
        signers.write_text(allowed_signers, encoding="utf-8")
        signature = Path(folder) / "tag.sig"
        signature.write_bytes(tag.signature)
        done = _ssh_keygen("-Y", "find-principals", "-f", str(signers), "-s", str(signature))
    if done.returncode != 0:
        return []
    found = done.stdout.decode("utf-8", "replace").split()
    return sorted({p for line in found for p in line.split(",") if p})
