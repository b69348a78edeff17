// Being written; see the issue 4 work in progress.
