import { Migration } from '@mikro-orm/migrations';

export class Migration20261128110918_position_month_index extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "loan_position_month_county_latest_index" on "loan_position" ("month_end", "county_code") include ("loan_id", "institution_id") where "is_latest";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "loan_position_month_county_latest_index";`);
  }

}
