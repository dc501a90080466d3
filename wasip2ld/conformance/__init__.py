"""The build-target conformance suite: ``export`` writes it, ``run`` scores a checker against it."""
