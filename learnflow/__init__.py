"""LearnFlow eventing, in three layers that can be read off the folder tree:

- ``learnflow.events``: the contracts, topics, errors and the one CloudEvents codec;
- ``learnflow.serverless``: what a function needs at run time (imports events only);
- ``learnflow.local``: the laptop's stand-in for the cluster and the operator tools.

Nothing is imported here, so a function's image, which has no ``learnflow.local``, can
import the two layers it carries.
"""
