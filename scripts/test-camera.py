#!/usr/bin/python3
"""A test IP camera for Sluice's `input rtsp://` integration tests (and for trying it by hand).

GStreamer's RTSP server (python3-gi, gir1.2-gst-rtsp-server-1.0) serving a live test picture and tone at
rtsp://127.0.0.1:PORT/PATH over TCP and UDP, in one of these variants:

  h264-aac   H.264 (x264enc, no B-frames, a keyframe every 25 frames) + AAC LC 48 kHz stereo (avenc_aac or voaacenc)
  h265-aac   H.265 (x265enc, plugins-bad) + AAC
  h265       H.265 alone
  h264-pcma  H.264 + G.711 A-law 8 kHz mono (alawenc, rtppcmapay: payload type 8)

The picture is small (320x240 at 25 fps, ~300 kbit/s) to keep the CPU low. `--user`/`--password` require Digest
authentication (RTSPAuth with the digest method only). The media is shared between clients, so a client that
reconnects joins the running pipeline (GStreamer then drops a few packets of the clients already playing: one
client per camera keeps loss counts meaningful). Prints "ready" on stdout once listening, then "setup TRANSPORT"
for each SETUP and "teardown" for each TEARDOWN it receives; runs until killed.

Run with /usr/bin/python3 (Debian's, which has gi), e.g.:
  /usr/bin/python3 scripts/test-camera.py --port 8554 --path /cam --variant h264-aac --user admin --password secret
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def aac_encoder():
    for name in ("avenc_aac", "voaacenc"):
        if Gst.ElementFactory.find(name):
            return name
    sys.exit("test-camera: no AAC encoder (install gstreamer1.0-libav or gstreamer1.0-plugins-bad)")


def launch(variant, width, height, fps):
    picture = (f"videotestsrc is-live=true pattern=ball ! video/x-raw,width={width},height={height},framerate={fps}/1"
               " ! videoconvert")
    h264 = (f"{picture} ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=300"
            " ! rtph264pay name=pay0 pt=96 config-interval=-1")
    h265 = (f"{picture} ! x265enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=300"
            " ! rtph265pay name=pay0 pt=96 config-interval=-1")
    tone = "audiotestsrc is-live=true wave=sine freq=1000 volume=0.3"
    aac = (f"{tone} ! audio/x-raw,rate=48000,channels=2 ! audioconvert ! {aac_encoder()} bitrate=64000"
           " ! rtpmp4gpay name=pay1 pt=97")
    pcma = f"{tone} ! audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1 pt=8"
    parts = {
        "h264-aac": [h264, aac],
        "h265-aac": [h265, aac],
        "h265": [h265],
        "h264-pcma": [h264, pcma],
    }[variant]
    return "( " + " ".join(parts) + " )"


def report_requests(server, client):
    """Prints "setup TRANSPORT" for each SETUP and "teardown" for each TEARDOWN, for tests to check."""
    def setup(client, context):
        result, transport = context.request.get_header(GstRtsp.RTSPHeaderField.TRANSPORT, 0)
        print(f"setup {transport}", flush=True)

    client.connect("setup-request", setup)
    client.connect("teardown-request", lambda client, context: print("teardown", flush=True))


def main():
    parser = argparse.ArgumentParser(description="A GStreamer RTSP test camera.")
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--path", default="/cam")
    parser.add_argument("--variant", default="h264-aac", choices=["h264-aac", "h265-aac", "h265", "h264-pcma"])
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=240)
    parser.add_argument("--fps", type=int, default=25)
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch(args.variant, args.width, args.height, args.fps))
    factory.set_shared(True)
    if args.user is not None:
        auth = GstRtspServer.RTSPAuth()
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        auth.add_digest(args.user, args.password or "", token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        permissions.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
        factory.set_permissions(permissions)
    server.get_mount_points().add_factory(args.path, factory)
    server.connect("client-connected", report_requests)
    if server.attach(None) == 0:
        sys.exit(f"test-camera: cannot listen on {args.address}:{args.port}")
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
