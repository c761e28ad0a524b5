#!/bin/bash
# Creates the data directory on the first start, then runs mariadbd as user mysql with the
# database, user and root password of the environment (idempotent SQL run at every start).
set -euo pipefail
if [ "${1:-}" != mariadbd ]; then
    exec "$@"
fi
shift
if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=normal >/dev/null
fi
quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/\\\\/\\\\\\\\/g; s/'/\\\\'/g")"
}
init=/run/mysqld/init.sql
{
    echo "SET @@SESSION.SQL_LOG_BIN = 0;"
    if [ -n "${MARIADB_ROOT_PASSWORD:-}" ]; then
        echo "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY $(quote "$MARIADB_ROOT_PASSWORD");"
        echo "ALTER USER 'root'@'%' IDENTIFIED BY $(quote "$MARIADB_ROOT_PASSWORD");"
        echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(quote "$MARIADB_ROOT_PASSWORD");"
        echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    fi
    if [ -n "${MARIADB_DATABASE:-}" ]; then
        echo "CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"
    fi
    if [ -n "${MARIADB_USER:-}" ]; then
        echo "CREATE USER IF NOT EXISTS $(quote "$MARIADB_USER")@'%' IDENTIFIED BY $(quote "${MARIADB_PASSWORD:-}");"
        echo "ALTER USER $(quote "$MARIADB_USER")@'%' IDENTIFIED BY $(quote "${MARIADB_PASSWORD:-}");"
        if [ -n "${MARIADB_DATABASE:-}" ]; then
            echo "GRANT ALL ON \`$MARIADB_DATABASE\`.* TO $(quote "$MARIADB_USER")@'%';"
        fi
    fi
} >"$init"
chown mysql:mysql "$init"
chmod 600 "$init"
exec mariadbd --user=mysql --datadir=/var/lib/mysql --bind-address=0.0.0.0 --skip-name-resolve \
    --init-file="$init" "$@"
