/* juice-mqtt-nodelay.c: commands sent at once, not behind Nagle's algorithm
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MQTT is small messages in both directions. With Nagle's algorithm on, a
 * command written right after an acknowledgement (a PUBACK for the last
 * report) waits until the broker's TCP stack acknowledges that one, which a
 * delayed ACK makes up to 40 ms. Paho 1.3 leaves the algorithm on and gives
 * no access to its sockets, so once connected, this process's TCP sockets
 * connected to the broker's port get TCP_NODELAY. The option changes only
 * when segments leave; on any other socket to that port it is harmless.
 */

#define G_LOG_DOMAIN "juice-mqtt"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "juice-mqtt-private.h"

static gboolean
peer_port_is (int   fd,
              guint port)
{
  struct sockaddr_storage peer;
  socklen_t length = sizeof peer;
  int type = 0;
  socklen_t type_length = sizeof type;

  if (getsockopt (fd, SOL_SOCKET, SO_TYPE, &type, &type_length) != 0 || type != SOCK_STREAM)
    return FALSE;
  if (getpeername (fd, (struct sockaddr *) &peer, &length) != 0)
    return FALSE;

  if (peer.ss_family == AF_INET)
    return ntohs (((struct sockaddr_in *) &peer)->sin_port) == port;
  if (peer.ss_family == AF_INET6)
    return ntohs (((struct sockaddr_in6 *) &peer)->sin6_port) == port;
  return FALSE;
}

guint
_juice_mqtt_disable_nagle (guint port)
{
  g_autoptr(GDir) fds = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint n = 0;

  if (fds == NULL)
    return 0;

  while ((name = g_dir_read_name (fds)) != NULL)
    {
      char *end = NULL;
      long fd = strtol (name, &end, 10);
      struct stat st;
      int on = 1;

      if (end == name || *end != '\0' || fd < 0 || fd > G_MAXINT ||
          fstat ((int) fd, &st) != 0 || !S_ISSOCK (st.st_mode) ||
          !peer_port_is ((int) fd, port))
        continue;

      if (setsockopt ((int) fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0)
        n++;
    }

  return n;
}
