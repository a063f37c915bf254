package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder/config"
)

type initOptions struct {
	Path  string
	Force bool
}

func newInitCmd(g *globals) *cobra.Command {
	var opts initOptions
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter ladder.yaml",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Path == "" {
				opts.Path = g.ConfigPath
			}
			if opts.Path == "" {
				opts.Path = config.DefaultFile
			}
			return runInit(g, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Path, "output", "o", "", "where to write (default --config, else ./ladder.yaml)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing file")
	return cmd
}

func runInit(g *globals, opts initOptions) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if opts.Force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(opts.Path, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usageError{fmt.Errorf("%s already exists; pass --force to overwrite it", opts.Path)}
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(config.Starter); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "wrote %s: set the env vars it names (GITHUB_TOKEN, JIRA_EMAIL, JIRA_API_TOKEN), edit trackers, teams and goals, then run `ladder validate`\n", opts.Path)
	return nil
}
