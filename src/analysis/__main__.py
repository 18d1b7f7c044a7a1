try:
    from analysis.cli import main
except KeyboardInterrupt:  # Ctrl+C while the command is still loading: the same exit as later on
    import sys

    print("Đã dừng theo yêu cầu (Ctrl+C); các báo cáo cũ giữ nguyên.", file=sys.stderr)
    raise SystemExit(130) from None

if __name__ == "__main__":  # not when a spawned worker process imports it
    raise SystemExit(main())
