package page

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// Downloads that read the database (backups, response exports) are written to a temporary
// file first and only then sent: a bbolt read transaction held while a slow client reads would
// block the remap that a growing file needs, and with it every submission for as long as the slowest download. The file
// is unlinked as soon as it is created, so nothing is left behind, even after a crash.

// downloadTimeout is how long one download may take to send; other responses get the server's
// WriteTimeout.
const downloadTimeout = 30 * time.Minute

// allowDownload gives a response that streams a long document (slips, token lists, the audit
// log) downloadTimeout instead of the server's WriteTimeout.
func AllowDownload(c echo.Context) {
	http.NewResponseController(c.Response().Writer).SetWriteDeadline(time.Now().Add(downloadTimeout))
}

// spool runs write into an unlinked temporary file and returns the file, rewound, and its size.
func Spool(write func(io.Writer) error) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "staffsurvey-download-*")
	if err != nil {
		return nil, 0, fmt.Errorf("spool: %w", err)
	}
	os.Remove(f.Name())
	bw := bufio.NewWriterSize(f, 256<<10)
	if err := write(bw); err != nil {
		f.Close()
		return nil, 0, err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("spool: %w", err)
	}
	n, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("spool: %w", err)
	}
	return f, n, nil
}

// sendSpooled sends a spooled file with its length, as a download named name of type ctype,
// allowing it downloadTimeout; it closes f.
func SendSpooled(c echo.Context, f *os.File, size int64, ctype, name string) error {
	defer f.Close()
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, ctype)
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set(echo.HeaderContentDisposition, Attachment(name))
	h.Set(echo.HeaderContentLength, strconv.FormatInt(size, 10))
	AllowDownload(c)
	c.Response().WriteHeader(http.StatusOK)
	_, err := io.Copy(c.Response(), f)
	return err
}

// Attachment is a Content-Disposition header value for a download named name (ASCII).
func Attachment(name string) string {
	return fmt.Sprintf("attachment; filename=%q", name)
}
