// Command disco builds playlists with flow: give it one to three songs and it
// orders candidates so that each next song fits what a recurrent network
// predicts and mixes well after the previous one (key and tempo).
//
// Run "disco help" for the list of commands and "disco COMMAND -h" for each.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// command is one subcommand. run gets the arguments after the command name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch: its output streams. Commands never call
// os.Exit and never write to os.Stdout directly, so tests can run them.
type env struct {
	stdout io.Writer
	stderr io.Writer
}

var commands = map[string]command{}

// register adds a command; each command's file calls it from init.
func register(c command) { commands[c.name] = c }

// errUsage marks a usage error: main exits with status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(os.Stderr, "disco:", err) // a bad flag value says why itself
		}
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "disco:", err)
		os.Exit(1)
	}
}

// run runs disco with the given arguments (without the program name).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return c.run(ctx, e, []string{"-h"})
			}
		}
		usage(stdout)
		return nil
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "disco: unknown command %q\n\n", name)
		usage(stderr)
		return errUsage
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "disco builds playlists with flow.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  disco COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	width := 0
	for n := range commands {
		names = append(names, n)
		width = max(width, len(n))
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "disco COMMAND -h" for a command's flags.`)
}

// newFlags returns a flag set for a command whose usage text shows the
// command line synopsis, the description and the flags.
func newFlags(e *env, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: disco %s %s\n\n", name, synopsis)
		fmt.Fprintln(w, strings.TrimSpace(description))
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Flags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; -h prints help to stdout and returns flag.ErrHelp,
// a bad flag returns errUsage (the flag package has printed why).
func parseFlags(e *env, fs *flag.FlagSet, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return flag.ErrHelp
		}
		if a == "--" {
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	return nil
}

// runGroup runs the subcommand args[0] of the command group name: help
// lists the subcommands; no subcommand, or an unknown one, is a usage
// error.
func runGroup(ctx context.Context, e *env, args []string, name, help string, subs map[string]func(context.Context, *env, []string) error) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		w := e.stderr
		if len(args) > 0 {
			w = e.stdout
		}
		fmt.Fprintf(w, "Usage: disco %s SUBCOMMAND [flags]\n%s", name, help)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if run, ok := subs[args[0]]; ok {
		return run(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "disco %s: unknown subcommand %q\n%s", name, args[0], help)
	return errUsage
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// writeJSON writes v as indented JSON, the form of every command's JSON
// output.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
