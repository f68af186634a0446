"""Signals through which a lower layer lets a higher one react, without importing it.

Each signal is sent by the layer that owns the event and received by features above it;
ARCHITECTURE.md lists who listens. Receivers run inside the sender's transaction.
"""

from blinker import Namespace

_signals = Namespace()

#: A competition was created with default settings. Sender: the competition.
competition_created = _signals.signal("competition-created")

#: A competition was created as a copy of another. Sender: the new competition; keyword
#: arguments: ``source`` (the old competition), ``divisions`` ({old division id: new division}).
competition_copied = _signals.signal("competition-copied")

#: A user accepted an offered role in a competition. Sender: the user; keyword arguments:
#: ``competition``, ``role``.
role_accepted = _signals.signal("role-accepted")
