"""The Jupyter kernel the casebook runs chapters in (``make book`` and ``casebook run``)."""

from __future__ import annotations

import subprocess
from typing import Any

from jupyter_client.manager import AsyncKernelManager


class QuietKernelManager(AsyncKernelManager):
    """A kernel whose process writes nothing to the terminal.

    A chapter's output goes into the notebook; what a kernel prints to its own stderr (tornado and
    zmq log lines when it shuts down, the warning about unencrypted local TCP) would otherwise land
    between the command's own messages.
    """

    async def start_kernel(self, **kw: Any) -> None:
        """Start the kernel with its stderr sent to /dev/null."""
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super().start_kernel(**kw)
