"""Two settings that were really columns become columns.

A debt's own overdue terms (the setting ``overdue_terms.<debt id>``, a JSON object)
move to the new table ``debt_terms``, one nullable column per term; a reminder
rule's details (the setting ``reminders.rules.<debt id>``: ``follow_defaults``,
``daily_while_overdue``, ``at``) move to new columns of ``reminders``. The
settings rows are removed. What cannot be moved (unreadable JSON, terms of a
debt that no longer exists, details of a debt without a reminder row) was
ignored by the program already and is dropped. ``downgrade`` writes the settings
back from the columns. The conversion is written out here on purpose: a
migration must not change when the services do.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

TERMS_PREFIX = 'overdue_terms.'
RULE_PREFIX = 'reminders.rules.'
BOOL_TERMS = ('penalty_interest',)
TEXT_TERMS = ('penalty_base', 'late_fee_base', 'rate_fallback')
DECIMAL_TERMS = ('cycle_fee_percent', 'late_fee_cap_percent')
INT_TERMS = ('report_day_min', 'report_day_typical', 'report_day_max')
TERMS = (*BOOL_TERMS, *TEXT_TERMS, *DECIMAL_TERMS, *INT_TERMS)


def _term_columns(raw: str) -> dict[str, Any] | None:
    """The stored JSON of a debt's terms as column values, or None when it cannot be moved."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or not data or set(data) - set(TERMS):
        return None
    out: dict[str, Any] = dict.fromkeys(TERMS)
    for name, value in data.items():
        if name in BOOL_TERMS and isinstance(value, (bool, int)):
            out[name] = int(bool(value))
        elif name in TEXT_TERMS and isinstance(value, str):
            out[name] = value
        elif name in DECIMAL_TERMS and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            out[name] = str(value)
        elif name in INT_TERMS and not isinstance(value, bool) and isinstance(value, (int, str)) \
                and str(value).strip().isdigit():
            out[name] = int(value)
        else:
            return None
    return out


def _term_json(values: dict[str, Any]) -> str:
    data: dict[str, Any] = {}
    for name in TERMS:
        value = values[name]
        if value is not None:
            data[name] = bool(value) if name in BOOL_TERMS else value
    return json.dumps(data, sort_keys=True)


def _debt_id(key: str, prefix: str) -> int | None:
    tail = key[len(prefix):]
    return int(tail) if tail.isdigit() else None


def upgrade() -> None:
    op.create_table('debt_terms',
    sa.Column('debt_id', sa.Integer(), nullable=False),
    sa.Column('penalty_interest', sa.Integer(), nullable=True),
    sa.Column('penalty_base', sa.String(length=32), nullable=True),
    sa.Column('late_fee_base', sa.String(length=32), nullable=True),
    sa.Column('cycle_fee_percent', sa.Text(), nullable=True),
    sa.Column('late_fee_cap_percent', sa.Text(), nullable=True),
    sa.Column('rate_fallback', sa.String(length=16), nullable=True),
    sa.Column('report_day_min', sa.Integer(), nullable=True),
    sa.Column('report_day_typical', sa.Integer(), nullable=True),
    sa.Column('report_day_max', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['debt_id'], ['debts.id'], name=op.f('fk_debt_terms_debt_id_debts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('debt_id', name=op.f('pk_debt_terms'))
    )
    with op.batch_alter_table('reminders') as batch:
        batch.add_column(sa.Column('follow_defaults', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('daily_while_overdue', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('at_time', sa.String(length=5), nullable=True))

    conn = op.get_bind()
    debts = {row[0] for row in conn.execute(sa.text('SELECT id FROM debts'))}
    reminded = {row[0] for row in conn.execute(sa.text('SELECT debt_id FROM reminders'))}
    settings = conn.execute(sa.text('SELECT key, value FROM settings WHERE key LIKE :a OR key LIKE :b'),
                            {'a': TERMS_PREFIX + '%', 'b': RULE_PREFIX + '%'}).all()
    moved = []
    for key, value in settings:
        if key.startswith(TERMS_PREFIX):
            debt_id = _debt_id(key, TERMS_PREFIX)
            if debt_id is None:
                continue  # not a debt's terms: left as it is
            columns = _term_columns(value)
            if columns is not None and debt_id in debts:
                names = ', '.join(['debt_id', *TERMS])
                marks = ', '.join(f':{n}' for n in ['debt_id', *TERMS])
                conn.execute(sa.text(f'INSERT INTO debt_terms ({names}) VALUES ({marks})'),
                             {'debt_id': debt_id, **columns})
        else:
            debt_id = _debt_id(key, RULE_PREFIX)
            if debt_id is None:
                continue
            try:
                extras = json.loads(value) if value else None
            except ValueError:
                extras = None
            if isinstance(extras, dict) and debt_id in reminded:
                daily = extras.get('daily_while_overdue')
                at = extras.get('at')
                conn.execute(sa.text('UPDATE reminders SET follow_defaults = :f, daily_while_overdue = :d, '
                                     'at_time = :a WHERE debt_id = :id'),
                             {'f': int(bool(extras.get('follow_defaults'))),
                              'd': int(daily) if isinstance(daily, bool) else None,
                              'a': at if isinstance(at, str) and len(at) <= 5 else None, 'id': debt_id})
        moved.append(key)
    for key in moved:
        conn.execute(sa.text('DELETE FROM settings WHERE key = :k'), {'k': key})


def downgrade() -> None:
    conn = op.get_bind()
    names = ', '.join(['debt_id', *TERMS])
    for row in conn.execute(sa.text(f'SELECT {names} FROM debt_terms')).mappings().all():
        conn.execute(sa.text('INSERT OR REPLACE INTO settings (key, value) VALUES (:k, :v)'),
                     {'k': f'{TERMS_PREFIX}{row["debt_id"]}', 'v': _term_json(dict(row))})
    query = 'SELECT debt_id, follow_defaults, daily_while_overdue, at_time FROM reminders'
    for debt_id, follow, daily, at in conn.execute(sa.text(query)).all():
        extras: dict[str, Any] = {}
        if follow:
            extras['follow_defaults'] = True
        if daily is not None:
            extras['daily_while_overdue'] = bool(daily)
        if at is not None:
            extras['at'] = at
        if extras:
            conn.execute(sa.text('INSERT OR REPLACE INTO settings (key, value) VALUES (:k, :v)'),
                         {'k': f'{RULE_PREFIX}{debt_id}', 'v': json.dumps(extras, sort_keys=True)})
    with op.batch_alter_table('reminders') as batch:
        batch.drop_column('at_time')
        batch.drop_column('daily_while_overdue')
        batch.drop_column('follow_defaults')
    op.drop_table('debt_terms')
