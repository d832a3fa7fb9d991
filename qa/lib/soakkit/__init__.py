"""The soak's own peers (qa/bin/soak): a raw BGP speaker and a counting API process, standard library only."""
