package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestFirstLineWriter(t *testing.T) {
	var rest bytes.Buffer
	w := newFirstLineWriter(&rest)
	for _, chunk := range []string{"123", "45\nafter", " the port\n", "more"} {
		if n, err := w.Write([]byte(chunk)); err != nil || n != len(chunk) {
			t.Fatalf("Write(%q) = %d, %v", chunk, n, err)
		}
	}
	if line := <-w.line; line != "12345" {
		t.Errorf("first line = %q", line)
	}
	if got := rest.String(); got != "after the port\nmore" {
		t.Errorf("rest = %q", got)
	}
}

func TestStdoutGate(t *testing.T) {
	var out bytes.Buffer
	g := newStdoutGate(&out)
	written := make(chan struct{})
	go func() {
		_, _ = g.Write([]byte("late"))
		close(written)
	}()
	select {
	case <-written:
		t.Fatal("write went through before release")
	case <-time.After(50 * time.Millisecond):
	}
	g.release(true)
	<-written
	if out.String() != "late" {
		t.Errorf("out = %q", out.String())
	}

	out.Reset()
	dropped := newStdoutGate(&out)
	dropped.release(false)
	if n, err := dropped.Write([]byte("x")); n != 1 || err != nil || out.Len() != 0 {
		t.Errorf("dropped gate: %d, %v, %q", n, err, out.String())
	}
}

func TestStackEnv(t *testing.T) {
	if env := stackEnv(nil); env != nil {
		t.Errorf("stackEnv(nil) = %v", env)
	}
	env := stackEnv(&pulumirpc.AnalyzerStackConfigureRequest{
		Stack:   "dev",
		Project: "proj",
		DryRun:  true,
		Config:  map[string]string{"proj:a": "1"},
	})
	want := []string{
		`PULUMI_CONFIG={"proj:a":"1"}`,
		"PULUMI_NODEJS_PROJECT=proj", "PULUMI_NODEJS_STACK=dev", "PULUMI_NODEJS_DRY_RUN=true",
		"PULUMI_PROJECT=proj", "PULUMI_STACK=dev", "PULUMI_DRY_RUN=true",
	}
	if !slices.Equal(env, want) {
		t.Errorf("stackEnv = %q, want %q", env, want)
	}
}

func TestNodeArgsOption(t *testing.T) {
	opts, err := structpb.NewStruct(map[string]any{"nodeargs": `--max-old-space-size=4096 --title "a b"`})
	if err != nil {
		t.Fatal(err)
	}
	args, err := nodeArgsOption(opts)
	if err != nil || !slices.Equal(args, []string{"--max-old-space-size=4096", "--title", "a b"}) {
		t.Errorf("nodeArgsOption = %q, %v", args, err)
	}
	if args, err := nodeArgsOption(nil); args != nil || err != nil {
		t.Errorf("nodeArgsOption(nil) = %q, %v", args, err)
	}
}

// fakeLegacyHost stands in for the v3.68.0 host: it only knows a few calls.
type fakeLegacyHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
}

func (fakeLegacyHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: "3.68.0"}, nil
}

func (fakeLegacyHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	_ = stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: []byte("installing " + req.Directory)})
	_ = stream.Send(&pulumirpc.InstallDependenciesResponse{Stderr: []byte("oops")})
	return status.Error(codes.FailedPrecondition, "npm install failed")
}

// serve serves register's services on 127.0.0.1 until the test ends and
// returns a client connection to them.
func serve(t *testing.T, register func(*grpc.Server)) *grpc.ClientConn {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	register(srv)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return dial(t, lis.Addr().String())
}

func dial(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func newShim(t *testing.T) pulumirpc.LanguageRuntimeClient {
	legacy := serve(t, func(s *grpc.Server) { pulumirpc.RegisterLanguageRuntimeServer(s, fakeLegacyHost{}) })
	host := &languageHost{legacy: pulumirpc.NewLanguageRuntimeClient(legacy)}
	return pulumirpc.NewLanguageRuntimeClient(
		serve(t, func(s *grpc.Server) { pulumirpc.RegisterLanguageRuntimeServer(s, host) }))
}

func TestForwarding(t *testing.T) {
	ctx := context.Background()
	shim := newShim(t)

	info, err := shim.GetPluginInfo(ctx, &emptypb.Empty{})
	if err != nil || info.GetVersion() != "3.68.0" {
		t.Errorf("GetPluginInfo = %v, %v", info, err)
	}

	// A call the old host does not implement keeps its Unimplemented code.
	_, err = shim.GetRequiredPackages(ctx, &pulumirpc.GetRequiredPackagesRequest{})
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("GetRequiredPackages: %v, want Unimplemented", err)
	}

	stream, err := shim.InstallDependencies(ctx, &pulumirpc.InstallDependenciesRequest{Directory: "/x"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		msg, err := stream.Recv()
		if err != nil {
			if status.Code(err) != codes.FailedPrecondition || !strings.Contains(err.Error(), "npm install failed") {
				t.Errorf("final status = %v", err)
			}
			break
		}
		got = append(got, string(msg.Stdout)+"|"+string(msg.Stderr))
	}
	if !slices.Equal(got, []string{"installing /x|", "|oops"}) {
		t.Errorf("relayed messages = %q", got)
	}
}

func TestRunPluginOtherKinds(t *testing.T) {
	stream, err := newShim(t).RunPlugin(context.Background(), &pulumirpc.RunPluginRequest{Kind: "resource"})
	if err == nil {
		_, err = stream.Recv()
	}
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("RunPlugin(kind resource): %v, want Unimplemented", err)
	}
}

// fakePolicyPack stands in for @pulumi/policy's analyzer server.
type fakePolicyPack struct {
	pulumirpc.UnimplementedAnalyzerServer
	stacks chan string
}

func (f *fakePolicyPack) ConfigureStack(
	_ context.Context, req *pulumirpc.AnalyzerStackConfigureRequest,
) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	f.stacks <- req.Stack
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

func (f *fakePolicyPack) GetAnalyzerInfo(context.Context, *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	return &pulumirpc.AnalyzerInfo{Name: "fake"}, nil
}

// fakeRunPolicyPack replaces @pulumi/pulumi/cmd/run-policy-pack: it reports
// how it was started on stderr, prints the fake pack's port and exits with 7
// once the test creates $FAKE_DONE.
const fakeRunPolicyPack = `
const fs = require("fs");
process.stderr.write(JSON.stringify({
  args: process.argv.slice(2), cwd: process.cwd(), stack: process.env.PULUMI_NODEJS_STACK,
}) + "\n");
console.log(process.env.FAKE_PORT);
setInterval(() => { if (fs.existsSync(process.env.FAKE_DONE)) process.exit(7); }, 20);
`

// TestRunPolicyPack drives RunPlugin the way the engine does, with node and
// a fake run-policy-pack module that the shim must find from a nested pack
// directory (as with an npm workspace).
func TestRunPolicyPack(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not on PATH")
	}
	root := t.TempDir()
	module := filepath.Join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack")
	packDir := filepath.Join(root, "policies")
	for _, dir := range []string{module, packDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(module, "index.js"), []byte(fakeRunPolicyPack), 0o644); err != nil {
		t.Fatal(err)
	}
	pack := &fakePolicyPack{stacks: make(chan string, 1)}
	packConn := serve(t, func(s *grpc.Server) { pulumirpc.RegisterAnalyzerServer(s, pack) })
	_, packPort, _ := net.SplitHostPort(packConn.Target())
	done := filepath.Join(root, "done")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stream, err := newShim(t).RunPlugin(ctx, &pulumirpc.RunPluginRequest{
		Kind: "analyzer",
		Pwd:  root,
		Args: []string{"127.0.0.1:1234"},
		Env:  append(os.Environ(), "FAKE_PORT="+packPort, "FAKE_DONE="+done),
		Info: &pulumirpc.ProgramInfo{RootDirectory: packDir, ProgramDirectory: packDir, EntryPoint: "."},
	})
	if err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	exitCode := int32(-100)
	recv := func() error {
		msg, err := stream.Recv()
		if err != nil {
			return err
		}
		stdout.Write(msg.GetStdout())
		stderr.Write(msg.GetStderr())
		if out, ok := msg.Output.(*pulumirpc.RunPluginResponse_Exitcode); ok {
			exitCode = out.Exitcode
		}
		return nil
	}
	for !strings.Contains(stdout.String(), "\n") {
		if err := recv(); err != nil {
			t.Fatalf("before the port line: %v (stderr %q)", err, stderr.String())
		}
	}
	proxyPort, err := strconv.Atoi(strings.TrimSpace(stdout.String()))
	if err != nil {
		t.Fatalf("port line %q: %v", stdout.String(), err)
	}

	// The engine's calls, in its order: the proxy starts node on ConfigureStack.
	analyzer := pulumirpc.NewAnalyzerClient(dial(t, "127.0.0.1:"+strconv.Itoa(proxyPort)))
	if _, err := analyzer.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{}); err != nil {
		t.Fatalf("Handshake: %v", err)
	}
	if _, err := analyzer.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "dev"}); err != nil {
		t.Fatalf("ConfigureStack: %v", err)
	}
	info, err := analyzer.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	if err != nil || info.GetName() != "fake" {
		t.Fatalf("GetAnalyzerInfo = %v, %v", info, err)
	}
	if stack := <-pack.stacks; stack != "dev" {
		t.Errorf("ConfigureStack replayed with stack %q", stack)
	}

	if err := os.WriteFile(done, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for {
		err := recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if exitCode != 7 {
		t.Errorf("exit code = %d, want 7", exitCode)
	}
	wantStderr := `{"args":["127.0.0.1:1234","` + packDir + `"],"cwd":"` + packDir + `","stack":"dev"}` + "\n"
	if stderr.String() != wantStderr {
		t.Errorf("stderr = %q, want %q", stderr.String(), wantStderr)
	}
}
