"""Admin: the queue is procrastinate's own admin (jobs with their events, filter
by status, actions Retry, Cancel and Abort), registered on the project's site."""
