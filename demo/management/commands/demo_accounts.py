import json

from agencies.models import User
from core.commands import SystemCommand
from demo.directory import demo_accounts


class Command(SystemCommand):
    help = "Liệt kê tài khoản mẫu (tên đăng nhập, mật khẩu, vai trò, đơn vị, tỉnh)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Mỗi dòng một đối tượng JSON.")

    def handle(self, *args, **options):
        wanted = {a["username"]: a for a in demo_accounts()}
        users = User.objects.filter(username__in=wanted).order_by("pk")
        rows = []
        for user in users:
            rows.append(
                {
                    "username": user.username,
                    "password": wanted[user.username]["password"],
                    "role": user.role,
                    "agency": user.agency.name if user.agency else "",
                    "province": user.agency.province.name if user.agency else "",
                }
            )
        if options["json"]:
            for row in rows:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("Chưa có tài khoản mẫu: hãy chạy `python manage.py seed_demo`.")
            return
        width = max(len(r["username"]) for r in rows)
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {rows[0]['password']}):")
        for row in rows:
            where = f"{row['agency']} — {row['province']}" if row["agency"] else "toàn hệ thống"
            self.stdout.write(f"  {row['username']:<{width}}  {row['role']:<13}  {where}")
