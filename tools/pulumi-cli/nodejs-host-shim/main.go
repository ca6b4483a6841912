// Command pulumi-language-nodejs is the Node.js language host that ../build.sh
// installs next to the pulumi CLI v3.248.0. It is a shim, not the real host:
//
//   - It starts the real host built from sdk/v3 v3.68.0
//     (pulumi-language-nodejs-v3.68.0, in the same directory as this binary)
//     as a child process with the same arguments, and forwards every
//     LanguageRuntime RPC to it (forward.go). Calls that host does not know
//     get its codes.Unimplemented answer, so the engine falls back as usual.
//   - It implements RunPlugin itself, for policy packs only (policy.go):
//     CLI v3.248.0 starts a Node.js policy pack through the language host's
//     RunPlugin, which v3.68.0 does not implement.
//
// See ../build.sh for why the real host is that old.
//
// Conventions it keeps with the engine (sdk/v3 go/common/resource/plugin):
// arguments are optional logging/tracing flags followed by the engine address;
// the gRPC server listens on 127.0.0.1 and the first and only line the shim
// itself writes to stdout is its port. Later stdout is the child host's,
// passed through unchanged: the child writes the Node.js program's own
// console output there, which the engine reads as the plugin's stdout.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// legacyHostName is the file name of the sdk/v3 v3.68.0 language host, looked
// up in the directory of this executable.
const legacyHostName = "pulumi-language-nodejs-v3.68.0"

const (
	// How long the child host may take to print its port.
	legacyStartTimeout = time.Minute
	// How long the child host gets to exit after SIGINT before it is killed.
	legacyStopTimeout = 5 * time.Second
	// Engine health check interval, as in the real language hosts.
	healthcheckInterval = 5 * time.Minute
	// How long to wait for our own SIGINT/SIGTERM when the child host exits.
	signalGrace = time.Second
)

func main() {
	// The child host gets a parent-death signal (sysproc_linux.go), which
	// Linux ties to the OS thread that started it; keep main on one thread.
	runtime.LockOSThread()

	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("pulumi-language-nodejs", flag.ContinueOnError)
	flags.SetOutput(os.Stderr)
	// Passed by the engine to every plugin (buildPluginArguments).
	logToStderr := flags.Bool("logtostderr", false, "log to stderr")
	verbose := flags.Int("v", 0, "log verbosity")
	flags.String("tracing", "", "emit tracing to a Zipkin-compatible tracing endpoint (passed on to the child host)")
	// Accepted for compatibility with the v3.68.0 host; passed on to it.
	flags.Bool("typescript", true, "passed on to the child host")
	flags.String("root", "", "passed on to the child host")
	flags.String("tsconfig", "", "passed on to the child host")
	flags.String("nodeargs", "", "passed on to the child host")
	if err := flags.Parse(args); err != nil {
		return err
	}
	logging.InitLogging(*logToStderr, *verbose, false)
	defer logging.Flush()

	// Everything below ends when the engine interrupts us, stops answering
	// health checks, or the child host exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	if engineAddress := flags.Arg(0); engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, healthcheckInterval, cancel); err != nil {
			return fmt.Errorf("could not start health check: %w", err)
		}
	}

	// The child host's stdout after its port line goes to ours, but only once
	// our own port line is out; if we fail before that, it is dropped.
	gate := newStdoutGate(os.Stdout)
	legacy, err := startLegacyHost(args, gate)
	if err != nil {
		return err
	}
	defer legacy.stop()
	defer gate.release(false) // runs first: the child must not block on it while stopping

	conn, err := grpc.NewClient(
		"127.0.0.1:"+strconv.Itoa(legacy.port),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		rpcutil.GrpcChannelOptions(),
	)
	if err != nil {
		return fmt.Errorf("could not connect to %s: %w", legacyHostName, err)
	}
	defer conn.Close()

	host := &languageHost{legacy: pulumirpc.NewLanguageRuntimeClient(conn)}
	var server *grpc.Server
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			server = srv
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		return fmt.Errorf("could not start language host RPC server: %w", err)
	}

	fmt.Printf("%d\n", handle.Port)
	gate.release(true)

	var result error
	select {
	case <-ctx.Done():
		logging.V(5).Infof("shutting down: %v", context.Cause(ctx))
	case <-legacy.done:
		// The engine stops a language host by interrupting its process group,
		// which holds the child too: if the child went first, our own signal
		// is on its way and this is a normal shutdown, not a crash.
		select {
		case <-ctx.Done():
			logging.V(5).Infof("shutting down: %v (%s: %v)", context.Cause(ctx), legacyHostName, legacy.waitErr)
		case <-time.After(signalGrace):
			result = fmt.Errorf("%s exited: %v", legacyHostName, legacy.waitErr)
		}
	case err := <-handle.Done:
		result = fmt.Errorf("language host RPC server stopped: %v", err)
	}

	// Stop cancels every in-flight call, which also stops running policy
	// packs; wait (bounded) for those to be gone before we exit.
	server.Stop()
	for range handle.Done { // drain, so that the serve goroutine can finish
	}
	host.plugins.wait()
	return result
}

// legacyHost is the running v3.68.0 language host.
type legacyHost struct {
	cmd     *exec.Cmd
	port    int
	done    chan struct{} // closed once the process has exited
	waitErr error         // set before done is closed
}

func startLegacyHost(args []string, stdout io.Writer) (*legacyHost, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	path := filepath.Join(filepath.Dir(self), legacyHostName)

	portLine := newFirstLineWriter(stdout)
	cmd := exec.Command(path, args...)
	cmd.Stdout = portLine
	cmd.Stderr = os.Stderr
	// If the child leaves a grandchild holding its stdout, don't let Wait hang.
	cmd.WaitDelay = time.Second
	setParentDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("could not start %s: %w", path, err)
	}

	h := &legacyHost{cmd: cmd, done: make(chan struct{})}
	go func() {
		h.waitErr = cmd.Wait()
		close(h.done)
	}()

	timer := time.NewTimer(legacyStartTimeout)
	defer timer.Stop()
	select {
	case line := <-portLine.line:
		port, err := strconv.Atoi(strings.TrimSpace(line))
		if err == nil && (port <= 0 || port > 65535) {
			err = errors.New("out of range")
		}
		if err != nil {
			h.stop()
			return nil, fmt.Errorf("%s printed an invalid port %q: %v", legacyHostName, line, err)
		}
		h.port = port
		return h, nil
	case <-h.done:
		return nil, fmt.Errorf("%s exited before printing its port: %v", path, h.waitErr)
	case <-timer.C:
		h.stop()
		return nil, fmt.Errorf("%s did not print its port within %v", path, legacyStartTimeout)
	}
}

// stop interrupts the child host, kills it if it is still running after
// legacyStopTimeout, and waits for it.
func (h *legacyHost) stop() {
	select {
	case <-h.done:
		return
	default:
	}
	_ = h.cmd.Process.Signal(os.Interrupt)
	select {
	case <-h.done:
	case <-time.After(legacyStopTimeout):
		_ = h.cmd.Process.Kill()
		<-h.done
	}
}

// firstLineWriter hands the first line written to it to the line channel and
// passes everything after it to rest. It is meant as a process's stdout, to
// read the port line plugins print first.
type firstLineWriter struct {
	rest io.Writer
	line chan string // receives the first line (without "\n"), once

	mu   sync.Mutex
	buf  []byte
	sent bool
}

func newFirstLineWriter(rest io.Writer) *firstLineWriter {
	return &firstLineWriter{rest: rest, line: make(chan string, 1)}
}

func (w *firstLineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sent {
		return w.writeRest(p, len(p))
	}
	i := strings.IndexByte(string(p), '\n')
	if i < 0 {
		w.buf = append(w.buf, p...)
		return len(p), nil
	}
	w.buf = append(w.buf, p[:i]...)
	w.line <- string(w.buf)
	w.buf, w.sent = nil, true
	return w.writeRest(p[i+1:], len(p))
}

// writeRest writes p to rest and reports n bytes consumed. Write errors are
// dropped: the writing process must not fail because nobody reads.
func (w *firstLineWriter) writeRest(p []byte, n int) (int, error) {
	if len(p) > 0 {
		_, _ = w.rest.Write(p)
	}
	return n, nil
}

// stdoutGate holds writes back until release is called, then passes them to
// w or drops them, so that the child host's output cannot come before our
// port line.
type stdoutGate struct {
	w        io.Writer
	released chan struct{}
	once     sync.Once
	pass     bool // set before released is closed
}

func newStdoutGate(w io.Writer) *stdoutGate {
	return &stdoutGate{w: w, released: make(chan struct{})}
}

// release lets writes through (pass) or drops them; only the first call counts.
func (g *stdoutGate) release(pass bool) {
	g.once.Do(func() {
		g.pass = pass
		close(g.released)
	})
}

func (g *stdoutGate) Write(p []byte) (int, error) {
	<-g.released
	if !g.pass {
		return len(p), nil
	}
	return g.w.Write(p)
}
