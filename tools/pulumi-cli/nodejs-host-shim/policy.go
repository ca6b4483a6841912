package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// runPolicyPackModule is the policy pack launcher shipped in @pulumi/pulumi
// (the same one the old `pulumi-analyzer-policy` script ran). Its arguments:
// <engine-address> <policy pack program>.
const runPolicyPackModule = "@pulumi/pulumi/cmd/run-policy-pack"

const (
	// How long a policy pack gets to exit after SIGINT when its RunPlugin
	// call is cancelled, before it is killed and its output pipes closed.
	policyPackStopTimeout = 5 * time.Second
	// Bound on replaying Handshake/ConfigureStack to a started policy pack.
	policyPackReplayTimeout = 30 * time.Second
	// How long the analyzer proxy lets calls in flight finish when it stops.
	proxyStopTimeout = 2 * time.Second
)

// RunPlugin runs a plugin program. CLI v3.248.0 calls it to start a policy
// pack whose runtime is nodejs (NewPolicyAnalyzer and ExecPlugin in sdk/v3
// go/common/resource/plugin) with kind "analyzer", the engine address as
// the only argument (after optional logging/tracing flags), the pack
// directory as Info.ProgramDirectory, pwd = the engine's working directory,
// and the engine's environment. Other plugin kinds are not supported.
//
// What it does mirrors the old `pulumi-analyzer-policy` script plus what
// the engine itself did before it switched to RunPlugin:
//
//   - node <run-policy-pack> <request args> <pack dir>, where run-policy-pack
//     is resolved with node's own module resolution from the pack directory
//     upwards, so a workspace pack finds the hoisted @pulumi/pulumi;
//   - working directory: the pack directory, not the request's pwd, as the
//     old script did and as the real v3.248.0 host does: run-policy-pack
//     loads tsconfig.json from its working directory, so the pack must be
//     compiled with its own tsconfig.json, not the stack's;
//   - environment: the request's, plus PULUMI_CONFIG and the
//     PULUMI_[NODEJS_]{ORGANIZATION,PROJECT,STACK,DRY_RUN} variables that the
//     engine used to set for policy packs and no longer passes on this path.
//     It sends them to the analyzer as a ConfigureStack call instead, so the
//     shim first serves a small Analyzer proxy (analyzerProxy) whose port is
//     what the engine reads, waits for that call, then starts node with the
//     variables set and forwards every Analyzer call to it.
//
// The stream carries the proxy's port line, then node's stdout and stderr,
// then node's exit code (128+n if a signal n killed it).
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	if req.GetKind() != string(apitype.AnalyzerPlugin) {
		return status.Errorf(codes.Unimplemented,
			"RunPlugin: plugin kind %q is not supported by this language host shim, only %q (policy packs)",
			req.GetKind(), apitype.AnalyzerPlugin)
	}
	if !h.plugins.start() {
		return status.Error(codes.Unavailable, "the language host is shutting down")
	}
	defer h.plugins.done()

	out := newPluginOutput(stream)
	defer out.close()
	return runPolicyPack(stream.Context(), req, out)
}

func runPolicyPack(ctx context.Context, req *pulumirpc.RunPluginRequest, out *pluginOutput) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		return status.Error(codes.InvalidArgument, "RunPlugin: missing info.program_directory")
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return status.Errorf(codes.FailedPrecondition, "could not find node on the $PATH: %v", err)
	}
	nodeArgs, err := nodeArgsOption(req.GetInfo().GetOptions())
	if err != nil {
		return status.Errorf(codes.InvalidArgument, "runtime option nodeargs: %v", err)
	}
	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	env = append([]string(nil), env...)

	script, failure, err := resolveModule(ctx, nodeBin, runPolicyPackModule, dir, env)
	if err != nil {
		return status.Errorf(codes.Internal, "could not resolve %s: %v", runPolicyPackModule, err)
	}
	if failure != "" {
		// Node's "Cannot find module '@pulumi/pulumi/cmd/run-policy-pack'"
		// makes the engine suggest installing the pack's dependencies.
		_, _ = out.stderr().Write([]byte(failure))
		return out.exit(1)
	}

	proxy, err := startAnalyzerProxy()
	if err != nil {
		return status.Errorf(codes.Internal, "could not start the policy pack proxy: %v", err)
	}
	defer proxy.stop()
	if _, err := fmt.Fprintf(out.stdout(), "%d\n", proxy.port); err != nil {
		return err
	}

	stackConfig, err := proxy.awaitStackConfig(ctx)
	if err != nil {
		return status.FromContextError(err).Err()
	}
	env = append(env, stackEnv(stackConfig)...)

	args := append(nodeArgs, script)
	args = append(args, req.GetArgs()...)
	args = append(args, dir)
	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Dir = dir
	cmd.Env = env
	portLine := newFirstLineWriter(out.stdout())
	cmd.Stdout = portLine
	cmd.Stderr = out.stderr()
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = policyPackStopTimeout
	logging.V(5).Infof("RunPlugin: starting policy pack in %s: %s %s", dir, nodeBin, strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		proxy.fail(err)
		return status.Errorf(codes.Internal, "could not start node: %v", err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()

	select {
	case line := <-portLine.line:
		if err := proxy.attach(ctx, line); err != nil {
			_, _ = fmt.Fprintf(out.stderr(), "pulumi-language-nodejs: %v\n", err)
			_ = cmd.Process.Kill()
		}
	case <-exited:
	}
	<-exited
	proxy.fail(errors.New("the policy pack process has exited"))

	if ctx.Err() != nil {
		return status.FromContextError(ctx.Err()).Err()
	}
	if cmd.ProcessState == nil {
		return status.Errorf(codes.Internal, "policy pack: %v", waitErr)
	}
	return out.exit(exitCode(cmd.ProcessState))
}

// resolveModule resolves module the way require() would from a file in dir,
// using node itself. A module that cannot be found is not an error: failure
// is node's message then.
func resolveModule(ctx context.Context, nodeBin, module, dir string, env []string) (path, failure string, err error) {
	const script = `try {
  process.stdout.write(require.resolve(process.argv[1], { paths: [process.argv[2]] }));
} catch (e) {
  process.stderr.write(String(e && e.message) + "\n");
  process.exit(e && e.code === "MODULE_NOT_FOUND" ? 3 : 1);
}`
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, nodeBin, "-e", script, module, dir)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil && stdout.Len() > 0:
		return stdout.String(), "", nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == 3:
		return "", stderr.String(), nil
	case err == nil:
		return "", "", errors.New("node printed no path")
	default:
		return "", "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
}

// nodeArgsOption returns the `nodeargs` runtime option of PulumiPolicy.yaml,
// split like a shell would.
func nodeArgsOption(options *structpb.Struct) ([]string, error) {
	v, ok := options.GetFields()["nodeargs"]
	if !ok {
		return nil, nil
	}
	s, ok := v.GetKind().(*structpb.Value_StringValue)
	if !ok {
		return nil, errors.New("not a string")
	}
	return shlex.Split(s.StringValue)
}

// stackEnv returns the variables the engine set for policy packs before
// RunPlugin (constructEnv in sdk/v3 go/common/resource/plugin), built from
// its ConfigureStack request. Empty values are left out, as there.
func stackEnv(cfg *pulumirpc.AnalyzerStackConfigureRequest) []string {
	if cfg == nil {
		return nil
	}
	var env []string
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	if len(cfg.GetConfig()) > 0 {
		config, err := json.Marshal(cfg.GetConfig())
		if err == nil {
			add("PULUMI_CONFIG", string(config))
		}
	}
	dryRun := strconv.FormatBool(cfg.GetDryRun())
	for _, prefix := range []string{"PULUMI_NODEJS_", "PULUMI_"} {
		add(prefix+"ORGANIZATION", cfg.GetOrganization())
		add(prefix+"PROJECT", cfg.GetProject())
		add(prefix+"STACK", cfg.GetStack())
		add(prefix+"DRY_RUN", dryRun)
	}
	return env
}

func exitCode(state *os.ProcessState) int32 {
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int32(ws.Signal())
	}
	return int32(state.ExitCode())
}

// pluginOutput sends a RunPlugin response stream: stdout and stderr chunks
// from any goroutine (gRPC streams allow one sender at a time), then the
// exit code. Nothing is sent once the call has returned.
type pluginOutput struct {
	mu     sync.Mutex
	stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
	closed bool
	err    error // first send error; later output is dropped
}

func newPluginOutput(stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) *pluginOutput {
	return &pluginOutput{stream: stream}
}

func (o *pluginOutput) send(msg *pulumirpc.RunPluginResponse) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errors.New("RunPlugin call has ended")
	}
	if o.err == nil {
		o.err = o.stream.Send(msg)
	}
	return o.err
}

func (o *pluginOutput) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
}

// exit sends the exit code, the last message of the stream.
func (o *pluginOutput) exit(code int32) error {
	err := o.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
	o.close()
	return err
}

func (o *pluginOutput) stdout() *outputWriter { return &outputWriter{o: o} }
func (o *pluginOutput) stderr() *outputWriter { return &outputWriter{o: o, stderr: true} }

type outputWriter struct {
	o      *pluginOutput
	stderr bool
}

// Write always reports success so that the writing process is never
// stopped by a caller that has gone away; the call's context ends it.
func (w *outputWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b := append([]byte(nil), p...)
	msg := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	if w.stderr {
		msg = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	}
	_ = w.o.send(msg)
	return len(p), nil
}

// analyzerProxy serves pulumirpc.Analyzer on 127.0.0.1 in front of a policy
// pack that is not running yet. It answers Handshake and ConfigureStack
// itself and keeps them; any other call means the engine has no stack
// configuration for the pack. Once the pack runs (attach), the kept calls
// are replayed to it and every call is forwarded to it.
type analyzerProxy struct {
	pulumirpc.UnimplementedAnalyzerServer

	server *grpc.Server
	served chan struct{} // closed when Serve has returned
	port   int

	mu          sync.Mutex
	handshake   *pulumirpc.AnalyzerHandshakeRequest
	stackConfig *pulumirpc.AnalyzerStackConfigureRequest

	configured     chan struct{} // closed once the pack may start
	configuredOnce sync.Once

	ready     chan struct{} // closed once client or err is set
	readyOnce sync.Once
	client    pulumirpc.AnalyzerClient
	conn      *grpc.ClientConn
	err       error
}

func startAnalyzerProxy() (*analyzerProxy, error) {
	p := &analyzerProxy{
		served:     make(chan struct{}),
		configured: make(chan struct{}),
		ready:      make(chan struct{}),
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			p.server = srv
			pulumirpc.RegisterAnalyzerServer(srv, p)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	p.port = handle.Port
	go func() {
		for range handle.Done { // until Serve returns
		}
		close(p.served)
	}()
	return p, nil
}

// stop closes the proxy server and the connection to the pack. Calls still
// waiting for the pack get their error answer first (bounded).
func (p *analyzerProxy) stop() {
	p.fail(errors.New("the policy pack is not running"))
	stopped := make(chan struct{})
	go func() {
		p.server.GracefulStop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(proxyStopTimeout):
		p.server.Stop()
		<-stopped
	}
	<-p.served
	if p.conn != nil {
		_ = p.conn.Close()
	}
}

func (p *analyzerProxy) markConfigured() { p.configuredOnce.Do(func() { close(p.configured) }) }

// awaitStackConfig waits until the pack may start and returns the engine's
// ConfigureStack request, or nil if the engine made another call first.
func (p *analyzerProxy) awaitStackConfig(ctx context.Context) (*pulumirpc.AnalyzerStackConfigureRequest, error) {
	select {
	case <-p.configured:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.stackConfig, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// attach connects to the pack listening on the port in portLine and replays
// the kept Handshake and ConfigureStack calls to it (Unimplemented answers
// are fine: @pulumi/policy 1.21.0 has no Handshake).
func (p *analyzerProxy) attach(ctx context.Context, portLine string) error {
	port, err := strconv.Atoi(strings.TrimSpace(portLine))
	if err != nil || port <= 0 || port > 65535 {
		err = fmt.Errorf("the policy pack printed an invalid port %q", portLine)
		p.fail(err)
		return err
	}
	conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(port),
		grpc.WithTransportCredentials(insecure.NewCredentials()), rpcutil.GrpcChannelOptions())
	if err != nil {
		p.fail(err)
		return err
	}
	p.conn = conn
	client := pulumirpc.NewAnalyzerClient(conn)

	p.mu.Lock()
	handshake, stackConfig := p.handshake, p.stackConfig
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, policyPackReplayTimeout)
	defer cancel()
	if handshake != nil {
		if _, err := client.Handshake(ctx, handshake); err != nil && status.Code(err) != codes.Unimplemented {
			err = fmt.Errorf("policy pack Handshake failed: %w", err)
			p.fail(err)
			return err
		}
	}
	if stackConfig != nil {
		if _, err := client.ConfigureStack(ctx, stackConfig); err != nil && status.Code(err) != codes.Unimplemented {
			err = fmt.Errorf("policy pack ConfigureStack failed: %w", err)
			p.fail(err)
			return err
		}
	}
	p.readyOnce.Do(func() {
		p.client = client
		close(p.ready)
	})
	return nil
}

// fail makes calls waiting for the pack fail with err, unless it is attached.
func (p *analyzerProxy) fail(err error) {
	p.markConfigured()
	p.readyOnce.Do(func() {
		p.err = err
		close(p.ready)
	})
}

func (p *analyzerProxy) await(ctx context.Context) (pulumirpc.AnalyzerClient, error) {
	p.markConfigured()
	select {
	case <-p.ready:
		if p.err != nil {
			return nil, status.Errorf(codes.Unavailable, "policy pack not available: %v", p.err)
		}
		return p.client, nil
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}

func (p *analyzerProxy) Handshake(
	_ context.Context, req *pulumirpc.AnalyzerHandshakeRequest,
) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.handshake = req
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

func (p *analyzerProxy) ConfigureStack(
	_ context.Context, req *pulumirpc.AnalyzerStackConfigureRequest,
) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	p.mu.Lock()
	p.stackConfig = req
	p.mu.Unlock()
	p.markConfigured()
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

func (p *analyzerProxy) Analyze(ctx context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	c, err := p.await(ctx)
	if err != nil {
		return nil, err
	}
	return c.Analyze(ctx, req)
}

func (p *analyzerProxy) AnalyzeStack(
	ctx context.Context, req *pulumirpc.AnalyzeStackRequest,
) (*pulumirpc.AnalyzeResponse, error) {
	c, err := p.await(ctx)
	if err != nil {
		return nil, err
	}
	return c.AnalyzeStack(ctx, req)
}

func (p *analyzerProxy) Remediate(
	ctx context.Context, req *pulumirpc.AnalyzeRequest,
) (*pulumirpc.RemediateResponse, error) {
	c, err := p.await(ctx)
	if err != nil {
		return nil, err
	}
	return c.Remediate(ctx, req)
}

func (p *analyzerProxy) GetAnalyzerInfo(ctx context.Context, req *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	c, err := p.await(ctx)
	if err != nil {
		return nil, err
	}
	return c.GetAnalyzerInfo(ctx, req)
}

func (p *analyzerProxy) GetPluginInfo(ctx context.Context, req *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	c, err := p.await(ctx)
	if err != nil {
		return nil, err
	}
	return c.GetPluginInfo(ctx, req)
}

func (p *analyzerProxy) Configure(
	ctx context.Context, req *pulumirpc.ConfigureAnalyzerRequest,
) (*emptypb.Empty, error) {
	c, err := p.await(ctx)
	if err != nil {
		return nil, err
	}
	return c.Configure(ctx, req)
}

func (p *analyzerProxy) Cancel(ctx context.Context, req *emptypb.Empty) (*emptypb.Empty, error) {
	c, err := p.await(ctx)
	if err != nil {
		return nil, err
	}
	return c.Cancel(ctx, req)
}
