// Package chrometest gives tests a headless Chromium (Debian's chromium)
// driven with chromedp, from the browser named by WAYMARK_TEST_CHROMIUM.
// scripts/test always sets it, so on CI these tests run; locally, without
// it, they skip. Set but not starting is a failure, never a skip.
package chrometest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Env is the variable that names the browser's executable.
const Env = "WAYMARK_TEST_CHROMIUM"

// Browser starts headless Chromium with a fresh profile of its own and
// returns a context for chromedp actions, which ends (and the browser with
// it) when the test does, or after timeout.
func Browser(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	path := os.Getenv(Env)
	if path == "" {
		t.Skipf("%s is not set: no Chromium to test with (scripts/test sets it)", Env)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s is set but %v", Env, err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	// Start it now, so that a browser that does not start fails here.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("%s is set but Chromium does not start: %v", Env, err)
	}
	return ctx
}
