package main

import (
	"context"
	"errors"
	"io"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// languageHost serves pulumirpc.LanguageRuntime (sdk/v3 v3.248.0). Every call
// but RunPlugin goes to the v3.68.0 host unchanged, with the caller's context
// (deadline, cancellation); its answer, including its status code, comes back
// unchanged. Calls that v3.68.0 does not know (Handshake, GetRequiredPackages,
// RuntimeOptionsPrompts, Template, Pack, Link, Cancel) are still sent: its gRPC
// server answers codes.Unimplemented, which is what the engine expects from an
// old host and falls back on.
type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	legacy pulumirpc.LanguageRuntimeClient

	// Running RunPlugin calls; see RunPlugin in policy.go.
	plugins pluginTracker
}

// pluginTracker counts running RunPlugin calls so that the shim can wait for
// them (and the processes they started) before it exits.
type pluginTracker struct {
	mu       sync.Mutex
	stopping bool
	running  sync.WaitGroup
}

// start registers a call; it returns false once wait has been called.
func (t *pluginTracker) start() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopping {
		return false
	}
	t.running.Add(1)
	return true
}

func (t *pluginTracker) done() { t.running.Done() }

// wait refuses new calls and waits for the running ones to return.
func (t *pluginTracker) wait() {
	t.mu.Lock()
	t.stopping = true
	t.mu.Unlock()
	t.running.Wait()
}

var _ pulumirpc.LanguageRuntimeServer = (*languageHost)(nil)

func (h *languageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	return h.legacy.Handshake(ctx, req)
}

func (h *languageHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return h.legacy.GetRequiredPlugins(ctx, req)
}

func (h *languageHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return h.legacy.GetRequiredPackages(ctx, req)
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	return h.legacy.Run(ctx, req)
}

func (h *languageHost) GetPluginInfo(ctx context.Context, req *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return h.legacy.GetPluginInfo(ctx, req)
}

func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	from, err := h.legacy.InstallDependencies(stream.Context(), req)
	if err != nil {
		return err
	}
	return relay(from, stream)
}

func (h *languageHost) RuntimeOptionsPrompts(
	ctx context.Context, req *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return h.legacy.RuntimeOptionsPrompts(ctx, req)
}

func (h *languageHost) Template(ctx context.Context, req *pulumirpc.TemplateRequest) (*pulumirpc.TemplateResponse, error) {
	return h.legacy.Template(ctx, req)
}

// About: v3.68.0 declares the request as google.protobuf.Empty; an
// AboutRequest decodes as Empty there (unknown fields are ignored).
func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	return h.legacy.About(ctx, req)
}

func (h *languageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return h.legacy.GetProgramDependencies(ctx, req)
}

func (h *languageHost) GenerateProgram(
	ctx context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return h.legacy.GenerateProgram(ctx, req)
}

func (h *languageHost) GenerateProject(
	ctx context.Context, req *pulumirpc.GenerateProjectRequest,
) (*pulumirpc.GenerateProjectResponse, error) {
	return h.legacy.GenerateProject(ctx, req)
}

func (h *languageHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return h.legacy.GeneratePackage(ctx, req)
}

func (h *languageHost) Pack(ctx context.Context, req *pulumirpc.PackRequest) (*pulumirpc.PackResponse, error) {
	return h.legacy.Pack(ctx, req)
}

func (h *languageHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	return h.legacy.Link(ctx, req)
}

func (h *languageHost) Cancel(ctx context.Context, req *emptypb.Empty) (*emptypb.Empty, error) {
	return h.legacy.Cancel(ctx, req)
}

// relay copies a server-streaming response from the child host to our caller
// until the child ends it. The child's final status becomes ours.
func relay[T any](from grpc.ServerStreamingClient[T], to grpc.ServerStreamingServer[T]) error {
	for {
		msg, err := from.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := to.Send(msg); err != nil {
			return err
		}
	}
}
