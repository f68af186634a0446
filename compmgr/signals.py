"""Signals through which a lower layer lets a higher one react, without importing it.

Each signal is sent by the layer that owns the event and received by features above it;
ARCHITECTURE.md lists who listens. Receivers run inside the sender's transaction.
"""

from blinker import Namespace

_signals = Namespace()

#: A user declined an offered role. Sender: the user; keyword arguments: ``competition``,
#: ``role``.
offer_declined = _signals.signal("offer-declined")

#: A competition was created with default settings. Sender: the competition.
competition_created = _signals.signal("competition-created")

#: A competition was created as a copy of another. Sender: the new competition; keyword
#: arguments: ``source`` (the old competition), ``divisions`` ({old division id: new division}).
competition_copied = _signals.signal("competition-copied")

#: A user accepted an offered role in a competition. Sender: the user; keyword arguments:
#: ``competition``, ``role``.
role_accepted = _signals.signal("role-accepted")

#: An account must be told of an invitation by mail (the text is messaging's). Sender: the
#: user; keyword arguments: ``link``, ``inviter`` (a User or None), ``competition``, ``role``,
#: ``school`` (or None), ``kind`` ("invitation", "invitation_reminder" or "offer").
invitation_ready = _signals.signal("invitation-ready")

#: A school registered a new project. Sender: the project; keyword argument: ``competition``.
project_registered = _signals.signal("project-registered")

#: An organiser (or the school, by_school) admitted, rejected or withdrew a project. Sender:
#: the project; keyword arguments: ``status``, ``reason``, ``by_school``.
project_status_changed = _signals.signal("project-status-changed")

#: A project moved to another Fachgebiet. Sender: the project; keyword argument: ``before``
#: (the old subject's name).
project_moved = _signals.signal("project-moved")

#: A project was promoted into an older division. Sender: the project.
project_promoted = _signals.signal("project-promoted")

#: An organiser corrected a school's project. Sender: the project; keyword argument:
#: ``changes`` (the changed fields' labels, in words).
project_corrected = _signals.signal("project-corrected")

#: The results of a competition were published. Sender: the competition.
results_published = _signals.signal("results-published")

#: A jury's decision was locked. Sender: the jury.
jury_locked = _signals.signal("jury-locked")

#: Judges' lists of projects changed (assignment run, a judge removed). Sender: the
#: competition; keyword arguments: ``added``, ``removed`` (sets of (judge_id, project_id)).
assignments_changed = _signals.signal("assignments-changed")
