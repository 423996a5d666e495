"""Code execution: run a learner's Python in an unprivileged sandbox, report what happened.

Modules, one idea each:

- ``limits``, ``layers``: what a run may use, and the isolation layers and levels;
- ``landlock``, ``syscall_filter``, ``procctl``: the kernel interfaces (ctypes, libseccomp);
- ``zygote``, ``child``: the warm pre-forked parent and what runs in each fork;
- ``sandbox``: the service's pool of zygotes (``Sandbox.start()``, ``run()``);
- ``constructs``: which Python constructs a program uses (ast, or tokens when it does not parse);
- ``outcome``, ``result``: the raw facts of a run, and their classification into ``ExecutionResult``;
- ``calls``: a graded run's call channel, child and zygote sides (stdlib only; why it resists forgery);
- ``grading``: what a run of a catalogue exercise is asked, and the comparison outside the sandbox;
- ``settings``, ``service``, ``targets``: configuration, the domain ``run_submission``, the HTTP faces;
- ``bootstrap``, ``main``: the composition root and the functions-framework entry points.

This file imports nothing: the zygote imports this package with the standard library only.
"""
