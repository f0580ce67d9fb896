// The least a client of lanchatd's control socket does for `lanchat status`: connect, send
// {"cmd":"status"}, print the one-line answer, exit. lanchat-bench compiles it (cc -O2) and times it
// beside `lanchat status`, as the limit of what the CLI's start-up can come down to.
// Usage: status-request SOCKET
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SOCKET\n", argv[0]);
        return 2;
    }
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(argv[1]) >= sizeof address.sun_path) {
        fprintf(stderr, "status-request: socket path too long\n");
        return 2;
    }
    strcpy(address.sun_path, argv[1]);
    int descriptor = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (descriptor < 0 || connect(descriptor, (struct sockaddr *)&address, sizeof address) != 0) {
        perror("status-request: connect");
        return 3;
    }
    static const char request[] = "{\"cmd\":\"status\"}\n";
    if (send(descriptor, request, sizeof request - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof request - 1)) {
        perror("status-request: send");
        return 3;
    }
    static char answer[1 << 16];
    size_t length = 0;
    while (length < sizeof answer) {
        ssize_t count = recv(descriptor, answer + length, sizeof answer - length, 0);
        if (count <= 0) {
            fprintf(stderr, "status-request: no answer\n");
            return 3;
        }
        char *newline = memchr(answer + length, '\n', (size_t)count);
        length += (size_t)count;
        if (newline != NULL) {
            fwrite(answer, 1, (size_t)(newline + 1 - answer), stdout);
            return 0;
        }
    }
    fprintf(stderr, "status-request: answer longer than %zu bytes\n", sizeof answer);
    return 1;
}
