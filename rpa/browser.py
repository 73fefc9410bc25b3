"""Finding and launching Chromium: the one place the robot, the tests and the set-up agree on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Without these, Chromium keeps phoning home (updates, sync, field trials); on a closed network
# each of those is a refused connection and a slower start.
# Measured and left out (shared Chromium, --parallel 4, 8 accounts, two runs each): --disable-gpu cut
# PSS by 120-140 MB (of ~1.1 GB) but cost 2-3 s more robot CPU per run (of ~33 s) and was slower in
# both runs, and CPU is what limits --parallel on 2 cores; --js-flags=--max-old-space-size=64 changed
# nothing measurable (the portal's pages are small). --disable-dev-shm-usage is already in
# PLAYWRIGHT_SWITCHES; --renderer-process-limit cannot help: contexts never share a renderer.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# What Playwright passes when it launches Chromium itself (its chromiumSwitches, 1.5x), for the shared
# Chromium we start ourselves (`rpa.shared_browser`): same behaviour as a Playwright launch, in
# particular no throttling of background pages and timers, which would slow the other workers' tabs.
PLAYWRIGHT_SWITCHES = [
    "--disable-field-trial-config",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-back-forward-cache",
    "--disable-breakpad",
    "--disable-client-side-phishing-detection",
    "--disable-component-extensions-with-background-pages",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,"
    "AvoidCorsURLLoaderRestartOnRedirect,OptimizationHints,NetworkTimeServiceQuerying,PreconnectToSearch",
    "--allow-pre-commit-input",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--disable-renderer-backgrounding",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--no-service-autorun",
    "--disable-search-engine-choice-screen",
    "--disable-infobars",
    "--no-sandbox",  # Playwright's default too (chromiumSandbox=False); needed when running as root
]
HEADLESS_SWITCHES = ["--headless", "--hide-scrollbars", "--mute-audio"]
SYSTEM_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# The old headless shell: Chromium without its browser UI layer, what Playwright itself runs headless.
# Measured (`katip approve`, 4 accounts x 2 workplaces x 2 contracts, --parallel 1): 26 s instead of
# 33 s, robot CPU 27 s instead of 39 s, PSS 609 MB instead of 784 MB. Debian's wrapper script in
# /usr/bin does not `exec`, so the binary itself comes first (a kill must reach Chromium, not `sh`).
SYSTEM_HEADLESS_SHELLS = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell", "headless_shell")


class BrowserNotFound(RuntimeError):
    """No Chromium could be found or installed."""


@dataclass(frozen=True)
class BrowserChoice:
    """Which Chromium to launch: `executable_path` None means Playwright's own build."""

    executable_path: str | None
    source: str  # "setting", "playwright" or "system"

    def launch_kwargs(self, headless: bool = True) -> dict:
        """Keyword arguments for `playwright.chromium.launch`."""
        kwargs: dict = {"headless": headless, "args": list(CHROMIUM_ARGS)}
        if self.executable_path:
            kwargs["executable_path"] = self.executable_path
        return kwargs


def chromium_command(choice: BrowserChoice, headless: bool, profile: Path) -> list[str]:
    """The command line for a Chromium we start ourselves, listening for DevTools on a free loopback port."""
    executable = choice.executable_path or playwright_managed_chromium()
    if not executable:
        raise BrowserNotFound("Playwright's Chromium is no longer installed; run `make setup` again.")
    return [
        executable,
        *PLAYWRIGHT_SWITCHES,
        *(HEADLESS_SWITCHES if headless else []),
        *CHROMIUM_ARGS,
        f"--user-data-dir={profile}",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",  # a free port, written to <profile>/DevToolsActivePort
        "--no-startup-window",
    ]


def playwright_managed_chromium() -> str | None:
    """Path of a Chromium that `playwright install` left on this machine, if any."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:  # the driver itself could not start: treat as "none installed"
        return None
    return path if path and Path(path).is_file() else None


def _first_executable(names: tuple[str, ...]) -> str | None:
    for name in names:
        found = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if found:
            return found
    return None


def system_chromium() -> str | None:
    """Path of a full Chromium installed by the operating system, if any."""
    return _first_executable(SYSTEM_CHROMIUM_NAMES)


def system_headless_shell() -> str | None:
    """Path of the operating system's Chromium headless shell (Debian: chromium-headless-shell), if any."""
    return _first_executable(SYSTEM_HEADLESS_SHELLS)


def find_chromium(configured_path: str | None = None, headless: bool = True) -> BrowserChoice:
    """Prefer an explicit path, then Playwright's managed build, then the system's Chromium.

    Playwright's own build brings its headless shell and picks it by itself. From the system, a
    headless run takes the headless shell when it is installed (lighter and faster), a visible one
    the full browser."""
    configured_path = configured_path or os.environ.get("KATIP_BROWSER_PATH") or None
    if configured_path:
        if not Path(configured_path).is_file():
            raise BrowserNotFound(f"KATIP_BROWSER_PATH points to {configured_path}, which does not exist.")
        return BrowserChoice(configured_path, "setting")
    managed = playwright_managed_chromium()
    if managed:
        return BrowserChoice(None, "playwright")
    shell = system_headless_shell() if headless else None
    if shell:
        return BrowserChoice(shell, "system headless shell")
    system = system_chromium()
    if system:
        return BrowserChoice(system, "system")
    if system_headless_shell():
        raise BrowserNotFound(
            "Only Chromium's headless shell is installed, and a visible browser was asked for. Install the "
            "full browser (Debian/Ubuntu: `sudo apt-get install chromium`) or set KATIP_BROWSER_PATH."
        )
    raise BrowserNotFound(
        "No Chromium found. Run `make setup` (it tries `playwright install chromium`, then "
        "`apt-get install chromium chromium-headless-shell` on Debian/Ubuntu as root), or install Chromium "
        "yourself and set KATIP_BROWSER_PATH to its executable."
    )


def ensure_chromium() -> BrowserChoice:
    """Find a Chromium, installing one if none is there; used by `make setup`."""
    try:
        choice = find_chromium()
    except BrowserNotFound:
        pass
    else:
        if choice.source == "system" and _can_apt() and _apt_knows("chromium-headless-shell"):
            _apt_install("chromium-headless-shell", update=False)  # optional: headless runs are lighter
            return find_chromium()
        return choice
    print("No Chromium found; trying `playwright install chromium` ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True, timeout=600)
        return find_chromium()
    except (subprocess.SubprocessError, OSError, BrowserNotFound):
        print("Playwright could not download its Chromium (no internet access?).", flush=True)
    if _can_apt():
        _apt_install("chromium", "chromium-headless-shell")  # the shell is optional
        return find_chromium()
    raise BrowserNotFound(
        "Could not install Chromium. Install it with your package manager (Debian/Ubuntu: "
        "`sudo apt-get install chromium`) or run `playwright install chromium` where the internet is "
        "reachable, then run `make setup` again."
    )


def _can_apt() -> bool:
    return sys.platform.startswith("linux") and bool(shutil.which("apt-get")) and os.geteuid() == 0


def _apt_knows(package: str) -> bool:
    """Whether apt's package lists (as they are: no download) offer this package."""
    found = subprocess.run(["apt-cache", "show", package], capture_output=True, check=False)
    return found.returncode == 0 and b"Package:" in found.stdout


def _apt_install(*packages: str, update: bool = True) -> None:
    """Install each package on its own, so that one missing from the archive does not stop the others."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if update:
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    for package in packages:
        print(f"Installing the {package} package with apt-get ...", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, env=env)


def main() -> None:
    """`python -m rpa.browser [--ensure]`: print the Chromium in use (installing one with --ensure)."""
    try:
        choice = ensure_chromium() if "--ensure" in sys.argv else find_chromium()
    except BrowserNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    print(f"Chromium: {choice.executable_path or 'Playwright-managed build'} ({choice.source})")


if __name__ == "__main__":
    main()
