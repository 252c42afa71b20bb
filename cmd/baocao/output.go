package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// writeOutput writes data to standard output ("-") or to dest. A regular
// file (or a new one) is replaced atomically: the bytes go to a temporary
// file in the same directory, which is then renamed onto it, so a failed
// write never leaves half a file. A symbolic link is followed and the
// rename lands on the file it resolves to, so the link stays a link.
// Anything else — a device such as /dev/null, a named pipe, a socket — is
// written straight through and never replaced. Errors name dest as the
// user gave it, never the temporary file.
func writeOutput(dest string, data []byte, stdout, stderr io.Writer) error {
	return streamOutput(dest, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, stdout, stderr)
}

// streamOutput is writeOutput of a file that write makes as it goes (a
// PDF written page by page): write's bytes go where writeOutput's would,
// as they come, and the file is in place (renamed) only once write has
// returned without an error. An error of write is returned as it is,
// and an error of the destination as writeOutput's are, naming dest.
// To standard output, what write wrote before failing stays written.
func streamOutput(dest string, write func(io.Writer) error, stdout, stderr io.Writer) error {
	if dest == "-" {
		return write(stdout)
	}
	n, err := writeFileAt(dest, write)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "baocao: wrote %s (%d bytes)\n", dest, n)
	return nil
}

// destination counts what is written to w and keeps w's first error, so
// that an error of the file is told from one of the render.
type destination struct {
	w   io.Writer
	n   int64
	err error
}

func (d *destination) Write(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n, err := d.w.Write(p)
	d.n += int64(n)
	if err != nil {
		d.err = err
	}
	return n, err
}

// run calls write with d and returns the error to report: d's own, named
// after dest, or write's.
func (d *destination) run(dest string, write func(io.Writer) error) error {
	err := write(d)
	if d.err != nil {
		return outputError(dest, d.err)
	}
	return err
}

// outputError names the path the user gave and the problem, without the
// temporary file's name that an *os.PathError or *os.LinkError carries.
func outputError(dest string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return fmt.Errorf("write %s: %w", dest, err)
}

func writeFileAt(dest string, write func(io.Writer) error) (int64, error) {
	target := dest
	if fi, err := os.Lstat(dest); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// Follow the link (and links to links) to what it names; a dangling
		// link is created at its target.
		if resolved, err := resolveLink(dest); err == nil {
			target = resolved
		} else {
			return 0, outputError(dest, err)
		}
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return 0, fmt.Errorf("write %s: is a directory", dest)
	case err == nil && !fi.Mode().IsRegular():
		// A device, a pipe or a socket: write through, never replace it.
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return 0, outputError(dest, err)
		}
		d := &destination{w: f}
		if err := d.run(dest, write); err != nil {
			f.Close()
			return 0, err
		}
		if err := f.Close(); err != nil {
			return 0, outputError(dest, err)
		}
		return d.n, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return 0, outputError(dest, err)
	}
	mode := fs.FileMode(0o644)
	if err == nil {
		mode = fi.Mode().Perm() // keep a replaced file's permissions
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".baocao-*")
	if err != nil {
		return 0, outputError(dest, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(mode); err != nil {
		return 0, outputError(dest, err)
	}
	d := &destination{w: tmp}
	if err := d.run(dest, write); err != nil {
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		return 0, outputError(dest, err)
	}
	if err := tmp.Close(); err != nil {
		return 0, outputError(dest, err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		os.Remove(tmp.Name())
		done = true
		return 0, outputError(dest, err)
	}
	done = true
	return d.n, nil
}

// resolveLink follows a chain of symbolic links from path to the first
// name that is not a link (which need not exist: a dangling link's
// target is where the file is created).
func resolveLink(path string) (string, error) {
	for range 40 {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", errors.New("too many levels of symbolic links")
}
