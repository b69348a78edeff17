// Written in the next step (issue 5).
