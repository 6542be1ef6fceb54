"""The shop's scheduled jobs (issue 17.6): channel syncs, tracking, backups and digests run by
`zhanggui worker`, each job held by one worker at a time, its runs and results kept."""
from peewee import *


def up(migrator, db):
    class Job(Model):
        name = CharField(max_length=20, unique=True)
        every = IntegerField(default=0)
        at = CharField(max_length=5, default='')
        enabled = BooleanField(default=True)
        next_run = DateTimeField(null=True)
        holder = CharField(max_length=80, default='')
        lease_until = DateTimeField(null=True)
        last_started = DateTimeField(null=True)
        last_finished = DateTimeField(null=True)
        last_status = CharField(max_length=10, default='')
        last_message = CharField(max_length=500, default='')
        failures = IntegerField(default=0)

        class Meta:
            database = db
            table_name = 'job'

    class JobRun(Model):
        job = CharField(max_length=20, index=True)
        started = DateTimeField()
        finished = DateTimeField(null=True)
        status = CharField(max_length=10, default='running')
        message = TextField(default='')
        holder = CharField(max_length=80, default='')
        by = CharField(max_length=40, default='')

        class Meta:
            database = db
            table_name = 'job_run'

    class WorkerBeat(Model):
        holder = CharField(max_length=80, unique=True)
        started = DateTimeField()
        seen = DateTimeField()

        class Meta:
            database = db
            table_name = 'worker_beat'

    db.create_tables([Job, JobRun, WorkerBeat])


def down(migrator, db):
    db.execute_sql('DROP TABLE worker_beat')
    db.execute_sql('DROP TABLE job_run')
    db.execute_sql('DROP TABLE job')
