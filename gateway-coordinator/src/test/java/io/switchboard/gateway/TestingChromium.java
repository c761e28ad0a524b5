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
package io.switchboard.gateway;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real headless Chromium driven through ChromeDriver (Debian's {@code chromium} and
 * {@code chromium-driver}), with a profile of its own that {@link #close()} deletes.
 */
public final class TestingChromium
        implements AutoCloseable
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriverService driverService;
    private final ChromeDriver browser;

    private TestingChromium(Path profile, ChromeDriverService driverService, ChromeDriver browser)
    {
        this.profile = requireNonNull(profile, "profile is null");
        this.driverService = requireNonNull(driverService, "driverService is null");
        this.browser = requireNonNull(browser, "browser is null");
    }

    public static TestingChromium start()
    {
        assertThat(CHROMIUM).as("headless Chromium for the browser tests: apt-get install chromium chromium-driver").isExecutable();
        assertThat(CHROMEDRIVER).as("ChromeDriver for the browser tests: apt-get install chromium chromium-driver").isExecutable();
        Path profile;
        try {
            profile = Files.createTempDirectory("switchboard-chromium");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,900", "--user-data-dir=" + profile);
        try {
            return new TestingChromium(profile, driverService, new ChromeDriver(driverService, options));
        }
        catch (RuntimeException e) {
            driverService.stop();
            deleteQuietly(profile);
            throw e;
        }
    }

    public ChromeDriver browser()
    {
        return browser;
    }

    /**
     * Waits until the condition holds, through elements replaced or hidden meanwhile (the tables
     * of a signed-out user stay in the page, hidden, until the next user's arrive).
     */
    public void await(Function<WebDriver, Boolean> condition, Duration timeout)
    {
        new WebDriverWait(browser, timeout)
                .ignoring(StaleElementReferenceException.class)
                .ignoring(ElementNotInteractableException.class)
                .withMessage(() -> "the browser showed " + browser.getCurrentUrl() + ": " + browser.findElement(By.tagName("body")).getText())
                .until(condition);
    }

    @Override
    public void close()
    {
        try {
            browser.quit();
        }
        finally {
            driverService.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path profile)
    {
        try {
            deleteRecursively(profile, ALLOW_INSECURE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
